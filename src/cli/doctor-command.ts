import { describeExchange } from '../client/exchange.ts';
import { runDoctor, type DoctorInput, type DoctorReport } from '../doctor/doctor.ts';
import type { DoctorVerdict } from '../scenarios/types.ts';
import { registerSecret } from '../secrets.ts';
import { UserError } from '../user-error.ts';
import type { DOCTOR_OPTIONS } from './commands.ts';
import { readInputFile } from './input-files.ts';
import { note, out } from './io.ts';
import type { Values } from './options.ts';
import { readSecretFile } from './secret-file.ts';

const DOCTOR_EXIT = { healthy: 0, diagnosed: 1 } as const;

/** The doctor's input from the command line; the key is read byte for byte (a trailing newline is a finding). */
async function doctorInputFromArgs(values: Values<typeof DOCTOR_OPTIONS>): Promise<DoctorInput> {
  if (!values.url) throw new UserError('doctor needs --url <n8n base URL>, e.g. --url http://localhost:5678');
  for (const [name, url] of [
    ['--url', values.url],
    ['--proxy-url', values['proxy-url']],
    ['--webhook-url', values['webhook-url']],
  ] as const) {
    if (url !== undefined && !/^http:\/\/[^/]+/.test(url))
      throw new UserError(`${name} must be an http:// URL (got ${url}); for https, give the plain-HTTP address n8n or the proxy also listens on`);
  }
  if ([values.key, values['key-file'], values['key-env']].filter((v) => v !== undefined).length > 1)
    throw new UserError('give one of --key, --key-file or --key-env');
  let key: string | undefined;
  if (values.key !== undefined) key = values.key;
  else if (values['key-env']) key = process.env[values['key-env']] ?? '';
  else if (values['key-file']) key = await readInputFile(values['key-file'], '--key-file');
  if (key) registerSecret(key, 'api-key');
  return {
    url: values.url,
    proxyUrl: values['proxy-url'],
    key,
    encryptionKey: await readSecretFile(values['encryption-key-file'], 'encryption-key', '--encryption-key-file'),
    jwtSecret: await readSecretFile(values['jwt-secret-file'], 'jwt-secret', '--jwt-secret-file'),
    path: values.path,
    executions: executionsScopeFromArgs(values.executions, values['since-minutes']),
    ...webhookFromArgs(values['webhook-url'], values['webhook-method'], values['webhook-header']),
    ...(values.push ? { push: true } : {}),
  };
}

/** --webhook-url with its --webhook-method (default GET) and each --webhook-header 'Name: value', as the client sends them. */
function webhookFromArgs(url: string | undefined, method: string | undefined, headers: string[] | undefined): Pick<DoctorInput, 'webhook'> {
  if (!url) {
    if (method || headers?.length) throw new UserError('--webhook-method and --webhook-header need --webhook-url');
    return {};
  }
  const pairs = (headers ?? []).map((h): [string, string] => {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UserError(`--webhook-header takes 'Name: value' (got ${h})`);
    return [h.slice(0, colon).trim(), registerSecret(h.slice(colon + 1).replace(/^ /, ''), 'secret')];
  });
  return { webhook: { url, method: (method ?? 'GET').toUpperCase(), headers: pairs } };
}

/** --executions (how many of the newest to read, 0 for none) and --since-minutes (how far back they count). */
function executionsScopeFromArgs(limit: string | undefined, sinceMinutes: string | undefined): DoctorInput['executions'] {
  const count = (name: string, value: string | undefined, max: number) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) > max) throw new UserError(`${name} takes a whole number from 0 to ${max} (got ${value})`);
    return Number(value);
  };
  // n8n's public API lists at most 250 executions per page.
  const n = count('--executions', limit, 250);
  const minutes = count('--since-minutes', sinceMinutes, 60 * 24 * 365);
  return { ...(n !== undefined ? { limit: n } : {}), ...(minutes !== undefined ? { since: new Date(Date.now() - minutes * 60_000) } : {}) };
}

/** The report for people: each failure mode with its evidence and the fixes the catalogue verified. */
function describeDoctorReport(report: DoctorReport, fixesOf: FixesOf, verbose = false): string[] {
  const lines: string[] = [];
  for (const note of report.notes) lines.push(`ok      ${note}`);
  for (const what of report.unchecked) lines.push(`UNCHECKED ${what}`);
  for (const d of report.diagnoses) {
    lines.push(`FOUND   ${d.mode}: ${d.title}`, `        what it means: ${d.means}`);
    for (const e of d.evidence) lines.push(`        evidence: ${e}`);
    const fixes = fixesOf(d.mode);
    for (const f of fixes) lines.push(`        fix (verified by ${f.scenario}): ${f.fix}`);
  }
  if (verbose) for (const p of report.probes) lines.push(`probe   ${describeExchange(p)}`);
  lines.push(report.healthy ? 'healthy: no failure mode found' : `${report.diagnoses.length} failure mode(s) found; fix the first one first`);
  return lines;
}

/** Said on stderr when the key came on the command line. */
const KEY_ON_COMMAND_LINE = 'note: a key given with --key is visible to other users in ps and stays in your shell history; --key-file or --key-env keep it out';

/** doctor/verified-fixes.ts's verifiedFixes, which reads the catalogue. */
type FixesOf = (mode: DoctorVerdict) => Array<{ scenario: string; fix: string }>;

/**
 * The fixes the catalogue verified for the modes found: the catalogue is loaded only when there is
 * a mode to name a fix for (a healthy instance, bad input and --help never load it).
 */
async function fixesFor(report: DoctorReport): Promise<FixesOf> {
  if (report.diagnoses.length === 0) return () => [];
  return (await import('../doctor/verified-fixes.ts')).verifiedFixes;
}

export async function run(values: Values<typeof DOCTOR_OPTIONS>): Promise<number> {
  const input = await doctorInputFromArgs(values);
  if (values.key !== undefined) note(KEY_ON_COMMAND_LINE);
  const report = await runDoctor(input);
  const fixesOf = await fixesFor(report);
  if (values.json)
    out(
      JSON.stringify(
        {
          healthy: report.healthy,
          diagnoses: report.diagnoses.map((d) => ({ ...d, fixes: fixesOf(d.mode) })),
          notes: report.notes,
          unchecked: report.unchecked,
          executions: report.executions,
          probes: report.probes,
        },
        null,
        2,
      ),
    );
  else for (const line of describeDoctorReport(report, fixesOf, values.verbose)) out(line);
  return report.healthy ? DOCTOR_EXIT.healthy : DOCTOR_EXIT.diagnosed;
}
