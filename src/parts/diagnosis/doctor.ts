import { answerOf, type Exchange } from '../client/exchange.ts';
import { rawRequest } from '../client/raw-http.ts';
import { inspectApiKey, keyCharactersOf } from '../inspect/key-inspector.ts';
import { API_KEY_HEADER, PUBLIC_WORKFLOWS } from '../client/public-api.ts';
import type { ConnectTo } from '../client/connect-to.ts';
import type { TlsTrust } from '../client/tls-trust.ts';
import { registerSecret } from '../../base/secrets.ts';
import { describeFailure, describeReading, readExecutions, type ExecutionsReading, type ExecutionsScope } from './executions.ts';
import { FAILURE_MODE_IDS, FAILURE_MODES, type FailureModeId } from './modes.ts';
import { explainRefusal, IAT_ROUNDING_S } from './refused-key.ts';
import type { OwnerLogin } from './owner-session.ts';
import { diagnoseProxy } from './proxy-tree.ts';
import { spokePlainHttpToTls, targetName, type Unreachable, uncheckedWithoutN8n, unreachableOf } from './reachability.ts';
import { diagnoseMcp, type McpCallInput } from './mcp.ts';
import { explainResourceRefusal } from './resource-access.ts';
import { diagnoseWebhook, type WebhookCallInput } from './webhook.ts';
import { insecureBrowserUrls, secureCookieReading } from './secure-cookie.ts';
import { pushHandshake, pushUpgradeReading } from './push-upgrade.ts';
import { diagnoseMail } from './mail-check.ts';
import { NOT_READY_STATUS, READY_WAIT, whileNotReady } from './not-ready.ts';

/** Beyond this, n8n's clock is called skewed (n8n's own JWT checks tolerate far less in places). */
const CLOCK_SKEW_LIMIT_S = 60;
/** Which executions count by default: the newest 20 of the last hour. */
const EXECUTIONS_LIMIT = 20;
const EXECUTIONS_WINDOW_MS = 60 * 60 * 1000;

/** What a user hands the doctor: where n8n (and the proxy in front of it) answers, and the key as their client holds it. */
export interface DoctorInput {
  url: string;
  proxyUrl?: string;
  /** The key byte for byte as the client has it (a trailing newline included); '' when the variable holding it is empty or unset. */
  key?: string;
  encryptionKey?: string;
  jwtSecret?: string;
  /** An owner's (or admin's) sign-in: with it, a refused key is judged on what n8n says of its public API and its keys. */
  owner?: OwnerLogin;
  /** The path the client calls; default /api/v1/workflows. */
  path?: string;
  /** Which executions to read for failures inside workflows (default: the newest 20 of the last hour); limit 0 reads none. */
  executions?: Partial<ExecutionsScope>;
  /** A webhook call as the client makes it: checked once, its refusal named from n8n's answer. */
  webhook?: WebhookCallInput;
  /** An MCP client's call (the instance's MCP server or an MCP Server Trigger) with the token as the client sends it: its refusal named from n8n's answer. */
  mcp?: McpCallInput;
  /** The editor shows "Connection lost": with a proxy URL, a websocket handshake on /rest/push straight and through it. */
  push?: boolean;
  /** Invitations or password resets never arrive: can n8n send mail at all, and where do the links it mails point (against the proxy URL)? */
  mail?: boolean;
  /** For https URLs: a private CA to trust beside the system's, or no check at all. */
  tls?: TlsTrust;
  /** curl's --connect-to: where requests for a host:port really connect (a public name that does not resolve here). */
  connectTo?: readonly ConnectTo[];
  timeoutMs?: number;
}

export interface Diagnosis {
  mode: FailureModeId;
  title: string;
  means: string;
  evidence: string[];
}

export interface DoctorReport {
  healthy: boolean;
  /** In the order of the decision tree: the first is the one to fix first. */
  diagnoses: Diagnosis[];
  /** Every request the doctor made, recorded and masked like a scenario's. */
  probes: Exchange[];
  /** What was checked and found fine, or skipped for want of input. */
  notes: string[];
  /** What the doctor could not check with what it was given, and why (a key without a scope, say). */
  unchecked: string[];
  /** What n8n's recent executions showed, when the key could read them. */
  executions?: ExecutionsReading;
  /** The URLs that did not answer (n8n's, the proxy's, the webhook's), why, and what that left unchecked. */
  unreachable: Unreachable[];
}

const stripSlash = (u: string) => u.replace(/\/+$/, '');

/** Seconds n8n's clock is ahead of this machine's, from the Date header of an answer and when it was asked and answered. */
function clockAhead(answer: Exchange, asked: number, answered: number): number | undefined {
  const date = answer.response?.headers?.find(([name]) => name.toLowerCase() === 'date')?.[1];
  if (!date) return undefined;
  return Math.round((Date.parse(date) + 500 - (asked + answered) / 2) / 1000);
}

/**
 * The guide's decision tree with real probes against a live n8n: reachable, public API on, the key
 * clean and decodable, accepted straight on n8n (else why: clock, expiry, signature), on the path
 * the client calls, then through the proxy (dropped, replaced, injected, refused, routed elsewhere),
 * then what n8n's recent executions say with the key: each workflow's latest run, and if it
 * failed, whether on a credential n8n cannot decrypt or send, or on a third-party API's 401.
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const timeoutMs = input.timeoutMs ?? 10_000;
  const url = stripSlash(input.url);
  const probes: Exchange[] = [];
  const diagnoses: Diagnosis[] = [];
  const notes: string[] = [];
  const unchecked: string[] = [];
  const unreachable: Unreachable[] = [];
  let executions: ExecutionsReading | undefined;
  /** How every request of the doctor connects: the TLS trust and --connect-to's rules. */
  const route = { tls: input.tls, connectTo: input.connectTo };
  const found = (mode: FailureModeId, ...evidence: string[]) => diagnoses.push({ mode, ...FAILURE_MODES[mode], evidence });
  const probe = async (label: string, base: string, path: string, headers: Array<[string, string]> = [], keepResponseHeaders?: string[]) => {
    const e = await rawRequest({ label, url: `${base}${path}`, headers, timeoutMs, keepResponseHeaders, ...route });
    probes.push(e);
    return e;
  };
  const report = (): DoctorReport => ({
    healthy: diagnoses.length === 0 && unreachable.length === 0,
    diagnoses,
    probes,
    notes,
    unchecked: [...unreachable.map((u) => `${u.unchecked.join(', ')}: ${targetName(u.target)} did not answer`), ...unchecked],
    unreachable,
    ...(executions ? { executions } : {}),
  });
  if (input.key) registerSecret(input.key, 'api-key');
  const checkMcp = async () => {
    if (!input.mcp) return;
    const call = await diagnoseMcp({ n8nUrl: url, ...input.mcp }, { timeoutMs, ...route }, (e) => probes.push(e), found, notes);
    if (!call.response || spokePlainHttpToTls(call)) unreachable.push(unreachableOf('mcp', input.mcp.url, call, ['why n8n refuses the MCP client']));
  };

  const asked = Date.now();
  const health = await probe('n8n /healthz', url, '/healthz', [], ['Date']);
  if (!health.response || spokePlainHttpToTls(health)) {
    const given = { ...input, executions: (input.executions?.limit ?? EXECUTIONS_LIMIT) > 0, webhook: !!input.webhook, push: !!input.push, mcp: !!input.mcp };
    unreachable.push(unreachableOf('n8n', url, health, uncheckedWithoutN8n(given)));
    found('n8n-unreachable', `GET ${url}/healthz: ${answerOf(health)}`);
    return report();
  }
  const ahead = clockAhead(health, asked, Date.now());
  if (ahead !== undefined && Math.abs(ahead) > CLOCK_SKEW_LIMIT_S)
    found('n8n-clock-skewed', `n8n's Date header is ${Math.abs(ahead)} s ${ahead > 0 ? 'ahead of' : 'behind'} this machine's clock`);
  else notes.push(`n8n's clock: ${ahead === undefined ? 'no Date header' : `${ahead} s from this machine's`}`);

  // n8n 1.x answers 404 when the public API is disabled; n8n 2.x answers exactly as when it is on
  // (401 without a key, its docs still served), so only a valid key refused can tell there.
  const bare = await whileNotReady(() => probe('no key on /api/v1/workflows', url, PUBLIC_WORKFLOWS));
  if (bare.outcome === 'not-found' || bare.outcome === 'editor-page') {
    found('public-api-disabled', `GET ${PUBLIC_WORKFLOWS} without a key: ${answerOf(bare)} (an enabled public API answers 401)`);
    // The MCP server does not need the public API: its check still runs.
    await checkMcp();
    return report();
  }
  // Not "on": n8n 2.x answers so with its API off too.
  notes.push(`public API: not off as n8n 1.x shows it (${PUBLIC_WORKFLOWS} without a key: ${answerOf(bare)}; n8n 2.x answers so either way)`);

  let keyWorks = false;
  let clean: string | undefined;
  if (input.key === undefined) notes.push('no key given: key checks skipped');
  else if (keyCharactersOf(input.key) === '')
    found('key-missing', input.key === '' ? 'the key is empty (an unset or unexported variable expands to nothing)' : 'the key holds only whitespace');
  else {
    clean = keyCharactersOf(input.key);
    const n8nNow = new Date(Date.now() + (ahead ?? 0) * 1000);
    const inspected = await inspectApiKey(input.key, { encryptionKey: input.encryptionKey, jwtSecret: input.jwtSecret, now: n8nNow });
    if (inspected.strayCharacters.length) {
      const asGiven = await probe('the key as given', url, PUBLIC_WORKFLOWS, [[API_KEY_HEADER, input.key]]);
      // HTTP strips a header value's surrounding whitespace: where n8n takes the key as given, the characters are not the failure.
      if (asGiven.outcome === 'accepted') notes.push(`${inspected.findings[0]!}; n8n accepts the key as given: ${answerOf(asGiven)}`);
      else found('key-stray-characters', inspected.findings[0]!, `the key as given: ${answerOf(asGiven)}`);
    }
    if (inspected.kind === 'not-a-key') found('not-an-n8n-key', 'neither a JWT (eyJ...) nor a legacy n8n_api_ key');
    const direct = await whileNotReady(() => probe('the key (key characters only) on /api/v1/workflows', url, PUBLIC_WORKFLOWS, [[API_KEY_HEADER, clean!]]));
    keyWorks = direct.outcome === 'accepted';
    if (keyWorks) {
      notes.push(`the key works straight on n8n: ${answerOf(direct)}`);
      if (inspected.iat && inspected.iat.aheadBySeconds > IAT_ROUNDING_S)
        notes.push(`the key's iat is ${inspected.iat.aheadBySeconds} s ahead of n8n's clock (the n8n that issued it ran ahead); this n8n accepts it`);
    } else if (direct.outcome === 'forbidden') found('key-scope-missing', `${PUBLIC_WORKFLOWS}: ${answerOf(direct)}`);
    else if (direct.response?.status === NOT_READY_STATUS)
      unchecked.push(`why n8n refuses the key: n8n was not ready for ${(READY_WAIT.tries * READY_WAIT.pauseMs) / 1000} s (${answerOf(direct)})`);
    else if (inspected.kind !== 'not-a-key')
      await explainRefusal(inspected, direct, {
        url,
        key: clean,
        owner: input.owner,
        timeoutMs,
        ...route,
        probe,
        record: (e) => probes.push(e),
        found,
        notes,
        unchecked,
      });
    if (keyWorks && input.path && input.path !== PUBLIC_WORKFLOWS) {
      const onPath = await probe(`the key on ${input.path}`, url, input.path, [[API_KEY_HEADER, clean]]);
      if (onPath.outcome !== 'accepted') {
        const evidence = [`${input.path}: ${answerOf(onPath)}`, `${PUBLIC_WORKFLOWS}: ${answerOf(direct)}`];
        if (input.path.startsWith('/rest/')) found('rest-endpoint-with-key', ...evidence);
        else if (input.path.startsWith('/api/v1/') && (onPath.outcome === 'forbidden' || onPath.outcome === 'rejected')) {
          const access = await explainResourceRefusal(input.path, onPath, (label, path) => probe(label, url, path, [[API_KEY_HEADER, clean!]]));
          found(access?.mode ?? 'key-scope-missing', ...evidence, ...(access?.evidence ?? []));
        } else found('wrong-api-path', ...evidence);
      }
    }
  }

  if (input.proxyUrl) await diagnoseProxy(url, stripSlash(input.proxyUrl), clean, keyWorks, probe, found, notes, (u) => unreachable.push(u));
  const scope = { limit: input.executions?.limit ?? EXECUTIONS_LIMIT, since: input.executions?.since ?? new Date(Date.now() - EXECUTIONS_WINDOW_MS) };
  if (clean !== undefined && scope.limit > 0) {
    if (!keyWorks) unchecked.push('executions not read: the key does not work on n8n');
    else {
      executions = await readExecutions({ url, key: clean, scope, n8nAheadS: ahead ?? 0, timeoutMs, ...route }, probes);
      diagnoseExecutions(executions, found, notes, unchecked);
    }
  }
  if (input.webhook) {
    const call = await diagnoseWebhook(input.webhook, { timeoutMs, ...route, straight: url }, (e) => probes.push(e), found, notes);
    if (!call.response || spokePlainHttpToTls(call)) unreachable.push(unreachableOf('webhook', input.webhook.url, call, ['why n8n refuses the webhook call']));
  }
  await checkMcp();
  if (input.mail) {
    const mailProbe = async (label: string, base: string, path: string, json?: unknown) => {
      const e = await rawRequest({ label, url: `${base}${path}`, headers: [], json, timeoutMs, ...route });
      probes.push(e);
      return e;
    };
    await diagnoseMail(url, input.proxyUrl && stripSlash(input.proxyUrl), mailProbe, found, notes, unchecked);
  }
  // Last: it is about the editor in a browser, not the key, and the key's faults come first.
  for (const browserUrl of insecureBrowserUrls([url, input.proxyUrl && stripSlash(input.proxyUrl)])) {
    const reading = secureCookieReading(browserUrl, await probe(`n8n's public settings at ${browserUrl}`, browserUrl, '/rest/settings'));
    if (reading.trap) found('secure-cookie-over-http', reading.line);
    else notes.push(reading.line);
  }
  if (input.push && input.proxyUrl) {
    const direct = await pushHandshake('a websocket handshake on /rest/push, straight', url, timeoutMs, route.tls, route.connectTo);
    const proxied = await pushHandshake('the same handshake through the proxy', stripSlash(input.proxyUrl), timeoutMs, route.tls, route.connectTo);
    probes.push(direct, proxied);
    const reading = pushUpgradeReading(direct, proxied);
    if (reading.trap) found('push-upgrade-dropped', reading.line);
    else notes.push(reading.line);
  } else if (input.push) unchecked.push('the push websocket through a proxy: no --proxy-url given');
  return report();
}

/** One failure mode per kind of failure the workflows' latest executions show, each with the workflows and messages; the rest as notes. */
function diagnoseExecutions(
  reading: ExecutionsReading,
  found: (mode: FailureModeId, ...evidence: string[]) => void,
  notes: string[],
  unchecked: string[],
): void {
  if (!reading.readable) return void unchecked.push(describeReading(reading));
  notes.push(describeReading(reading));
  for (const mode of FAILURE_MODE_IDS.filter((m) => reading.failing.some((f) => f.mode === m)))
    found(mode, ...reading.failing.filter((f) => f.mode === mode).map(describeFailure));
  for (const f of reading.failing.filter((x) => !x.mode)) notes.push(`failed, not on a credential or an API's 401: ${describeFailure(f)}`);
}
