import { execFile } from 'node:child_process';
import { escapeBytes, record, type Exchange } from './exchange.ts';

const STATUS_MARK = '\n__authlab_status__:';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; arguments go through byte for byte. */
export function runProgram(file: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 127) : 0;
      resolve({ exitCode: code, stdout: String(stdout), stderr: String(stderr || (err && code === 127 ? err.message : '')) });
    });
  });
}

/** The real curl, given the header exactly as a user's shell would pass it. */
export async function curlProbe(label: string, url: string, headers: Array<[string, string]>): Promise<Exchange> {
  const args = ['-sS', '-w', `${STATUS_MARK}%{http_code}`, ...headers.flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
  const shown = headers.map(([k, v]) => [k, escapeBytes(Buffer.from(v))] as [string, string]);
  const base = { label, via: 'curl' as const, request: { method: 'GET', url, headers: shown } };
  const run = await runProgram('curl', args);
  const at = run.stdout.lastIndexOf(STATUS_MARK);
  const status = at >= 0 ? Number(run.stdout.slice(at + STATUS_MARK.length)) : 0;
  if (!status) return record({ ...base, error: `curl exited ${run.exitCode}: ${run.stderr.trim()}` });
  return record({ ...base, response: { status, body: run.stdout.slice(0, at) } });
}
