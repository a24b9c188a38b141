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
    execFile(
      file,
      args,
      { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 8 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0;
        resolve({ exitCode: code, stdout: String(stdout), stderr: String(stderr || (err && code === 127 ? err.message : '')) });
      },
    );
  });
}

/** The real curl, given the header exactly as a user's shell would pass it. */
export async function curlProbe(label: string, url: string, headers: Array<[string, string]>, method = 'GET'): Promise<Exchange> {
  const args = [
    '-sS',
    ...(method === 'GET' ? [] : ['-X', method]),
    '-w',
    `${STATUS_MARK}%{http_code}`,
    ...headers.flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    url,
  ];
  const shown = headers.map(([k, v]) => [k, escapeBytes(Buffer.from(v))] as [string, string]);
  const base = { label, via: 'curl' as const, request: { method, url, headers: shown } };
  const run = await runProgram('curl', args);
  const response = responseOf(run.stdout);
  if (!response) return record({ ...base, error: `curl exited ${run.exitCode}: ${run.stderr.trim()}` });
  return record({ ...base, response });
}

/** The status curl printed after STATUS_MARK (-w) and the body before it; undefined when no answer came. */
function responseOf(stdout: string): { status: number; body: string } | undefined {
  const at = stdout.lastIndexOf(STATUS_MARK);
  const status = at >= 0 ? Number(stdout.slice(at + STATUS_MARK.length)) : 0;
  return status ? { status, body: stdout.slice(0, at) } : undefined;
}

/**
 * A curl command line run by `sh`, as a CI step runs it, with exactly the given environment:
 * the shell expands (or fails to expand) variables. `-v` shows the request head curl sent.
 */
export async function shellCurlProbe(label: string, url: string, headerArgs: string, env: Record<string, string>): Promise<Exchange> {
  const script = `curl -sS -v -w '${STATUS_MARK.replace('\n', '\\n')}%{http_code}' ${headerArgs} "$AUTHLAB_URL"`;
  const run = await runProgram('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AUTHLAB_URL: url, ...env } });
  const sent = run.stderr
    .split('\n')
    .filter((l) => l.startsWith('> '))
    .map((l) => l.slice(2).replace(/\r$/, ''));
  const headers = sent
    .slice(1)
    .filter((l) => l.includes(':'))
    .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]);
  const base = { label, via: 'curl' as const, request: { method: 'GET', url, headers, wire: escapeBytes(Buffer.from(`${sent.join('\r\n')}\r\n`)) } };
  const response = responseOf(run.stdout);
  if (!response) return record({ ...base, error: `sh -c '${script}' exited ${run.exitCode}: ${run.stderr.trim().split('\n').at(-1) ?? ''}` });
  return record({ ...base, response });
}
