import { constants, readFileSync, statSync } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../base/user-error.ts';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EEXIST: 'it already exists',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

const reasonOf = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? (code || (err as Error).message);
};

/** `cannot read /missing (--key-file): no such file`: a file the user named that cannot be read, in one line. */
export function unreadable(path: string, from: string | undefined, err: unknown): UserError {
  return new UserError(`cannot read ${path}${from ? ` (${from})` : ''}: ${reasonOf(err)}`);
}

/** A path the system refused (one the user gave that no check caught first): the user's to fix, in one line; else undefined. */
export function refusedPath(err: unknown): UserError | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.path !== 'string' || !e.code || !(e.code in REASONS)) return undefined;
  return new UserError(`${e.path}: ${reasonOf(err)}${e.syscall ? ` (${e.syscall})` : ''}`);
}

/** A file the user named (`from`: the option or argument that named it), read as text; one line when it cannot be. */
export async function readInputFile(path: string, from?: string): Promise<string> {
  return readFile(path, 'utf8').catch((err: unknown) => {
    throw unreadable(path, from, err);
  });
}

/** Fails in one line unless `path` is a file this process can read, or with `folder`, a readable folder. */
export async function assertReadable(path: string, from: string, { folder = false } = {}): Promise<void> {
  const info = await stat(path).catch((err: unknown) => {
    throw unreadable(path, from, err);
  });
  if (folder && info.isDirectory())
    await readdir(path).catch((err: unknown) => {
      throw unreadable(path, from, err);
    });
  else await readInputFile(path, from);
}

/** The same check, synchronous, for options read where nothing can wait (a CA bundle): its text. */
export function readInputFileNow(path: string, from: string): string {
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw unreadable(path, from, err);
  }
}

/** A CA bundle the user named (PEM), its text; one line when it cannot be read or holds no certificate. */
export function readPemBundleNow(path: string, from: string): string {
  const text = readInputFileNow(path, from);
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    throw new UserError(
      `${path} (${from}) is not a CA bundle: it holds no PEM certificate (no "-----BEGIN CERTIFICATE-----"; give a PEM file of CA certificates)`,
    );
  return text;
}

/**
 * Fails in one line, before anything runs, when the reports could not be written to `path` at the
 * end: it, or the nearest part of it that exists, is a file, or a folder this process cannot write in.
 */
export async function assertWritableFolder(path: string, from: string): Promise<void> {
  let at = resolve(path);
  for (;;) {
    const info = await stat(at).catch(() => undefined);
    if (info) {
      if (!info.isDirectory()) throw new UserError(`cannot write to ${path} (${from}): ${at} is a file, not a folder`);
      return access(at, constants.W_OK).catch(() => {
        throw new UserError(`cannot write to ${path} (${from}): ${at} is not writable`);
      });
    }
    if (dirname(at) === at) return;
    at = dirname(at);
  }
}
