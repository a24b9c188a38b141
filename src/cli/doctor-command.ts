import { bearerTokenOf } from '../parts/diagnosis/mcp-token.ts';
import { parseConnectTo } from '../parts/client/connect-to.ts';
import type { TlsTrust } from '../parts/client/tls-trust.ts';
import { runDoctor, type DoctorInput, type DoctorReport } from '../parts/diagnosis/doctor.ts';
import { registerSecret, type SecretKind } from '../base/secrets.ts';
import { UserError } from '../base/user-error.ts';
import type { DOCTOR_OPTIONS } from './command-options.ts';
import { describeDoctorReport, type FixesOf } from './doctor-report-text.ts';
import { readInputFile, readPemBundleNow } from './input-files.ts';
import { note, out } from './io.ts';
import type { Values } from './options.ts';
import { readSecretFile } from './secret-file.ts';

/** 2 is bad input (UserError); 3 says a URL did not answer, so the checks behind it did not run. */
const DOCTOR_EXIT = { healthy: 0, diagnosed: 1, unreachable: 3 } as const;

/** The doctor's input from the command line; the key is read byte for byte (a trailing newline is a finding). */
async function doctorInputFromArgs(values: Values<typeof DOCTOR_OPTIONS>): Promise<DoctorInput> {
  if (!values.url) throw new UserError('doctor needs --url <n8n base URL>, e.g. --url http://localhost:5678');
  for (const [name, url] of [
    ['--url', values.url],
    ['--proxy-url', values['proxy-url']],
    ['--webhook-url', values['webhook-url']],
    ['--mcp-url', values['mcp-url']],
  ] as const) {
    if (url !== undefined && !/^https?:\/\/[^/]+/.test(url)) throw new UserError(`${name} must be an http:// or https:// URL (got ${url})`);
  }
  if ([values.key, values['key-file'], values['key-env']].filter((v) => v !== undefined).length > 1)
    throw new UserError('give one of --key, --key-file or --key-env');
  const keyEnv = values['key-env'];
  if (keyEnv !== undefined && process.env[keyEnv] === undefined)
    throw new UserError(`--key-env ${keyEnv}: ${keyEnv} is not set in this environment (export it, or give --key-file)`);
  let key: string | undefined;
  if (values.key !== undefined) key = values.key;
  else if (keyEnv !== undefined) key = process.env[keyEnv];
  else if (values['key-file']) key = await readInputFile(values['key-file'], '--key-file');
  if (key) registerSecret(key, 'api-key');
  return {
    url: values.url,
    proxyUrl: values['proxy-url'],
    key,
    encryptionKey: await readSecretFile(values['encryption-key-file'], 'encryption-key', '--encryption-key-file'),
    jwtSecret: await readSecretFile(values['jwt-secret-file'], 'jwt-secret', '--jwt-secret-file'),
    ...(await ownerFromArgs(values)),
    path: values.path,
    executions: executionsScopeFromArgs(values.executions, values['since-minutes']),
    ...webhookFromArgs(values['webhook-url'], values['webhook-method'], values['webhook-header']),
    ...(values.push ? { push: true } : {}),
    ...(values.mail ? { mail: true } : {}),
    ...(await mcpFromArgs(values)),
    ...(values['connect-to']?.length ? { connectTo: values['connect-to'].map(parseConnectTo) } : {}),
    ...(await tlsTrustFromArgs(values)),
  };
}

/** --ca-bundle (the CA that signs the instance's certificate, PEM) or --insecure; only where a URL is https. */
async function tlsTrustFromArgs(values: Values<typeof DOCTOR_OPTIONS>): Promise<{ tls?: TlsTrust }> {
  const file = values['ca-bundle'];
  if (file === undefined && !values.insecure) return {};
  if (file !== undefined && values.insecure) throw new UserError('give --ca-bundle or --insecure, not both');
  if (![values.url, values['proxy-url'], values['webhook-url'], values['mcp-url']].some((u) => u?.startsWith('https://')))
    throw new UserError(
      `${file !== undefined ? '--ca-bundle' : '--insecure'} is for https:// URLs, and none of --url, --proxy-url, --webhook-url, --mcp-url is one`,
    );
  if (values.insecure) return { tls: { insecure: true } };
  return { tls: { ca: readPemBundleNow(file!, '--ca-bundle') } };
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

/** The option names of one secret given as a file, an environment variable or on the command line. */
interface SecretOptions {
  file: string;
  env: string;
  inline: string;
}

const optionOf = (values: Values<typeof DOCTOR_OPTIONS>, name: string) => (values as Record<string, string | undefined>)[name];

/** How many of the three were given. */
const givenOf = (values: Values<typeof DOCTOR_OPTIONS>, names: SecretOptions) =>
  [names.file, names.env, names.inline].filter((n) => optionOf(values, n) !== undefined).length;

/** The secret from the one of the three given (an unset variable is bad input), registered for masking; '' stays '' (a finding, not bad input). */
async function secretFrom(values: Values<typeof DOCTOR_OPTIONS>, names: SecretOptions, kind: SecretKind): Promise<string | undefined> {
  const env = optionOf(values, names.env);
  if (env !== undefined && process.env[env] === undefined)
    throw new UserError(`--${names.env} ${env}: ${env} is not set in this environment (export it, or give --${names.file})`);
  const value =
    optionOf(values, names.inline) ?? (env !== undefined ? process.env[env] : await readSecretFile(optionOf(values, names.file), kind, `--${names.file}`));
  // A scheme with nothing after it ("Bearer ") is no secret: registered, it would mask the word in every output after.
  return value && bearerTokenOf(value) ? registerSecret(value, kind) : value;
}

const MCP_TOKEN: SecretOptions = { file: 'mcp-token-file', env: 'mcp-token-env', inline: 'mcp-token' };
const OWNER_PASSWORD: SecretOptions = { file: 'owner-password-file', env: 'owner-password-env', inline: 'owner-password' };

/** --mcp-url with what the MCP client sends (--mcp-token-file, --mcp-token-env or --mcp-token), registered as a secret; --mcp-header names the header. */
async function mcpFromArgs(values: Values<typeof DOCTOR_OPTIONS>): Promise<Pick<DoctorInput, 'mcp'>> {
  const url = values['mcp-url'];
  const given = givenOf(values, MCP_TOKEN);
  if (!url) {
    if (given || values['mcp-header']) throw new UserError('--mcp-token-file, --mcp-token-env, --mcp-token and --mcp-header need --mcp-url');
    return {};
  }
  if (given > 1) throw new UserError('give one of --mcp-token-file, --mcp-token-env or --mcp-token');
  const header = values['mcp-header'];
  if (header !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) throw new UserError(`--mcp-header takes a header name (got ${header})`);
  const token = given ? await secretFrom(values, MCP_TOKEN, 'secret') : undefined;
  return { mcp: { url, ...(token !== undefined ? { token } : {}), ...(header ? { header } : {}) } };
}

/** --owner-email with its password (--owner-password-file, --owner-password-env or --owner-password), registered as a secret. */
async function ownerFromArgs(values: Values<typeof DOCTOR_OPTIONS>): Promise<Pick<DoctorInput, 'owner'>> {
  const email = values['owner-email'];
  const given = givenOf(values, OWNER_PASSWORD);
  if (!email) {
    if (given) throw new UserError('--owner-password-file, --owner-password-env and --owner-password need --owner-email');
    return {};
  }
  if (given !== 1) throw new UserError('--owner-email needs its password: give one of --owner-password-file, --owner-password-env or --owner-password');
  const password = await secretFrom(values, OWNER_PASSWORD, 'password');
  if (!password) throw new UserError("--owner-email: the owner's password is empty");
  return { owner: { email, password } };
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

/** Said on stderr when the key came on the command line. */
const KEY_ON_COMMAND_LINE = 'note: a key given with --key is visible to other users in ps and stays in your shell history; --key-file or --key-env keep it out';
const MCP_TOKEN_ON_COMMAND_LINE =
  'note: a token given with --mcp-token is visible to other users in ps and stays in your shell history; --mcp-token-file or --mcp-token-env keep it out';
const OWNER_PASSWORD_ON_COMMAND_LINE =
  'note: a password given with --owner-password is visible to other users in ps and stays in your shell history; --owner-password-file or --owner-password-env keep it out';

/**
 * The fixes the catalogue verified for the modes found: the catalogue is loaded only when there is
 * a mode to name a fix for (a healthy instance, bad input and --help never load it).
 */
async function fixesFor(report: DoctorReport): Promise<FixesOf> {
  if (report.diagnoses.length === 0 && report.unreachable.length === 0) return () => [];
  return (await import('../features/doctor/verified-fixes.ts')).verifiedFixes;
}

export async function run(values: Values<typeof DOCTOR_OPTIONS>): Promise<number> {
  const input = await doctorInputFromArgs(values);
  if (values.key !== undefined) note(KEY_ON_COMMAND_LINE);
  if (values['mcp-token'] !== undefined) note(MCP_TOKEN_ON_COMMAND_LINE);
  if (values['owner-password'] !== undefined) note(OWNER_PASSWORD_ON_COMMAND_LINE);
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
          unreachable: report.unreachable,
          executions: report.executions,
          probes: report.probes,
        },
        null,
        2,
      ),
    );
  else for (const line of describeDoctorReport(report, fixesOf, values.verbose)) out(line);
  if (report.unreachable.length) return DOCTOR_EXIT.unreachable;
  return report.healthy ? DOCTOR_EXIT.healthy : DOCTOR_EXIT.diagnosed;
}
