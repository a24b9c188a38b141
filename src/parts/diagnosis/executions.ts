import { record, type Exchange } from '../client/exchange.ts';
import { API_KEY_HEADER } from '../client/public-api.ts';
import type { ConnectTo } from '../client/connect-to.ts';
import { dispatcherFor, type TlsTrust } from '../client/tls-trust.ts';
import { fetch } from 'undici';
import type { FailureModeId } from './modes.ts';

/**
 * n8n's errors when it decrypts a credential with another key than it was saved under: the
 * padding check fails ("could not be decrypted"), or passes by chance (about 1 in 256) and the
 * bytes are then not UTF-8 or not JSON.
 */
export const DECRYPTION_ERROR = /could not be decrypted|Decrypted credentials data is not valid JSON|Malformed UTF-8 data/i;
/** Node's HTTP client refusing a header value with a line break, a zero-width space or a BOM: the request never left n8n. */
const UNSENDABLE_HEADER = /Invalid character in header content/i;
/** n8n's NodeApiError for a 401 from the API a node called (its httpCode says so; the texts are its fallbacks). */
const CALL_REFUSED = /Authorization failed - please check your credentials|status code 401|^401 - /;
/** The provider refused the OAuth2 credential's refresh token: n8n 2.x's own words, 1.x's OAuth library's (RFC 6749's invalid_grant). */
const REFRESH_REFUSED = /needs to be reconnected|provided authorization grant .* is invalid, expired, revoked|invalid_grant/i;
/** n8n's ExpressionError where an expression (in a node or a credential field) reads `$env` and N8N_BLOCK_ENV_ACCESS_IN_NODE blocks it: nothing was sent. */
export const ENV_ACCESS_DENIED = /access to env vars denied/i;
/** n8n 2.x's TaskRequestTimeoutError: a Code node's task was matched to no runner. */
const NO_RUNNER = /^Task request timed out/;

/** Which executions count: the newest `limit`, started at or after `since` (this machine's clock). */
export interface ExecutionsScope {
  limit: number;
  since: Date;
}

/** One error n8n saved in an execution: the workflow-level error or a node's. */
interface SavedError {
  node?: string;
  /** The node's type, where n8n saved it with the error (`n8n-nodes-base.n8n`). */
  nodeType?: string;
  message: string;
  httpCode?: string;
}

/** The n8n node: it calls n8n's own public API with an "n8n API" credential. */
const N8N_NODE = 'n8n-nodes-base.n8n';

/** A workflow whose most recent execution in scope failed. */
interface FailingWorkflow {
  workflowId: string;
  executionId: string;
  startedAt: string;
  errors: SavedError[];
  /** The failure mode its errors name, when they name one. */
  mode?: FailureModeId;
}

/** What the doctor could read of n8n's executions with the key. */
export type ExecutionsReading =
  | {
      readable: true;
      read: number;
      inScope: number;
      workflows: number;
      failing: FailingWorkflow[];
      since: string /** Workflows whose latest run failed but that were deleted or archived since. */;
      gone: string[];
    }
  | { readable: false; why: string };

interface ListedExecution {
  id: string | number;
  workflowId?: string;
  status?: string;
  finished?: boolean;
  startedAt?: string | null;
  stoppedAt?: string | null;
}

interface NodeError {
  message?: string;
  description?: string | null;
  httpCode?: string | number | null;
  messages?: string[];
  node?: { name?: string; type?: string };
}

interface ExecutionDetail {
  data?: { resultData?: { error?: NodeError; lastNodeExecuted?: string; runData?: Record<string, Array<{ error?: NodeError }>> } };
}

/** Finished states: a running or queued execution says nothing yet. */
const FAILED = new Set(['error', 'crashed']);
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** The failure mode an execution's errors name: undecryptable credentials, `$env` blocked in an expression, a header n8n cannot send, the n8n node failing on n8n's own API, an OAuth2 refresh the provider refused, a 401 from the API called, a Code node's task no runner took. */
export function modeOfErrors(errors: SavedError[]): FailureModeId | undefined {
  if (errors.some((e) => DECRYPTION_ERROR.test(e.message))) return 'credentials-undecryptable';
  if (errors.some((e) => ENV_ACCESS_DENIED.test(e.message))) return 'env-access-denied';
  if (errors.some((e) => UNSENDABLE_HEADER.test(e.message))) return 'credential-value-unsendable';
  if (errors.some((e) => e.nodeType === N8N_NODE)) return 'n8n-node-call-failed';
  if (errors.some((e) => REFRESH_REFUSED.test(e.message))) return 'oauth2-refresh-refused';
  if (errors.some((e) => e.httpCode === '401' || CALL_REFUSED.test(e.message))) return 'workflow-call-rejected';
  if (errors.some((e) => NO_RUNNER.test(e.message))) return 'code-task-no-runner';
  return undefined;
}

/** The errors an execution saved: the workflow's own and each node run's, once each. */
function errorsOf(detail: ExecutionDetail): SavedError[] {
  const result = detail.data?.resultData;
  const all: SavedError[] = [];
  const add = (node: string | undefined, e: NodeError | undefined) => {
    if (!e) return;
    // n8n's `messages` repeat the API's raw answer; shown only when there is no description.
    const parts = [e.message, e.description || e.messages?.join(' ')].filter((s): s is string => typeof s === 'string' && s !== '');
    const message = [...new Set(parts)].join(' / ');
    const httpCode = e.httpCode === undefined || e.httpCode === null ? undefined : String(e.httpCode);
    const nodeType = e.node?.type;
    if (!all.some((x) => x.message === message && x.node === node))
      all.push({ node, ...(nodeType ? { nodeType } : {}), message, ...(httpCode ? { httpCode } : {}) });
  };
  add(result?.error?.node?.name ?? result?.lastNodeExecuted, result?.error);
  for (const [node, runs] of Object.entries(result?.runData ?? {})) for (const run of runs) add(node, run.error);
  return all;
}

/** The newest finished execution of each workflow: a later success clears an earlier failure. */
function latestPerWorkflow(executions: ListedExecution[]): ListedExecution[] {
  const latest = new Map<string, ListedExecution>();
  for (const e of executions) {
    const workflow = String(e.workflowId ?? '');
    const known = latest.get(workflow);
    // Ids grow with each execution; startedAt does not when n8n's clock was moved back.
    if (!known || Number(e.id) > Number(known.id)) latest.set(workflow, e);
  }
  return [...latest.values()];
}

function statusOf(e: ListedExecution): string {
  return e.status ?? (e.finished ? 'success' : e.stoppedAt ? 'error' : 'running');
}

type Fetched = { exchange: Exchange; json?: unknown };
/** Where n8n's public API answers, with the key, and what its TLS is trusted by. */
type PublicApiAt = { url: string; key: string; timeoutMs: number; tls?: TlsTrust; connectTo?: readonly ConnectTo[] };

/** A GET on the public API with the key; the recorded answer is `shown` (a summary: n8n's bodies here run long and carry workflow data). */
async function getPublic(at: PublicApiAt, path: string, label: string, shown: (json: unknown) => unknown): Promise<Fetched> {
  const { url, key, timeoutMs } = at;
  const request = { method: 'GET', url: `${url}/api/v1${path}`, headers: [[API_KEY_HEADER, key]] as Array<[string, string]> };
  try {
    const res = await fetch(request.url, {
      headers: { [API_KEY_HEADER]: key },
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher: dispatcherFor(at.tls, at.connectTo),
    });
    const text = await res.text();
    const json = res.ok ? (JSON.parse(text) as unknown) : undefined;
    return {
      exchange: record({ label, via: 'node-fetch', request, response: { status: res.status, body: json === undefined ? text : JSON.stringify(shown(json)) } }),
      json,
    };
  } catch (err) {
    return { exchange: record({ label, via: 'node-fetch', request, error: (err as Error).message }) };
  }
}

function whyUnreadable(e: Exchange, scope: string): string {
  const answer = e.response ? `${e.response.status} ${e.response.body.slice(0, 120)}` : `no answer (${e.error ?? ''})`;
  const cause = e.response?.status === 403 ? `: the key lacks the ${scope} scope` : '';
  return `GET ${new URL(e.request.url).pathname} answered ${answer}${cause}; failures inside workflows (credentials n8n cannot decrypt, a third-party API refusing a stored key) were not checked`;
}

/**
 * The newest executions n8n saved, read through the public API with the key: each workflow's
 * most recent one in scope, and for those that failed, the errors they saved.
 */
export async function readExecutions(at: PublicApiAt & { scope: ExecutionsScope; n8nAheadS: number }, probes: Exchange[]): Promise<ExecutionsReading> {
  const { scope } = at;
  const listed = await getPublic(at, `/executions?limit=${scope.limit}`, `the newest ${scope.limit} executions`, (json) => ({
    data: ((json as { data?: ListedExecution[] }).data ?? []).map(({ id, workflowId, status, startedAt }) => ({ id, workflowId, status, startedAt })),
  }));
  probes.push(listed.exchange);
  if (listed.json === undefined) return { readable: false, why: whyUnreadable(listed.exchange, 'execution:list') };
  const all = (listed.json as { data?: ListedExecution[] }).data ?? [];
  // startedAt is n8n's clock: the cutoff moves with it.
  const since = new Date(scope.since.getTime() + at.n8nAheadS * 1000).toISOString();
  const inScope = all.filter((e) => e.startedAt && Date.parse(e.startedAt) >= Date.parse(since) && FINISHED.has(statusOf(e)));
  const latest = latestPerWorkflow(inScope);
  const failing: FailingWorkflow[] = [];
  const gone: string[] = [];
  for (const e of latest.filter((x) => FAILED.has(statusOf(x)))) {
    if (await workflowGone(at, String(e.workflowId), probes)) {
      gone.push(String(e.workflowId));
      continue;
    }
    const detail = await getPublic(at, `/executions/${e.id}?includeData=true`, `execution ${e.id} with its data`, (json) => ({
      id: e.id,
      workflowId: e.workflowId,
      errors: errorsOf(json as ExecutionDetail),
    }));
    probes.push(detail.exchange);
    if (detail.json === undefined) return { readable: false, why: whyUnreadable(detail.exchange, 'execution:read') };
    const errors = errorsOf(detail.json as ExecutionDetail);
    const mode = modeOfErrors(errors);
    failing.push({ workflowId: String(e.workflowId), executionId: String(e.id), startedAt: String(e.startedAt), errors, ...(mode ? { mode } : {}) });
  }
  return { readable: true, read: all.length, inScope: inScope.length, workflows: latest.length, failing, gone, since };
}

/** A workflow deleted (404) or archived since its run failed cannot fail again: its last run is history, not a fault. */
async function workflowGone(at: PublicApiAt, workflowId: string, probes: Exchange[]): Promise<boolean> {
  const got = await getPublic(at, `/workflows/${workflowId}`, `workflow ${workflowId}, whose latest run failed`, (json) => {
    const { id, name, active, isArchived } = json as { id?: string; name?: string; active?: boolean; isArchived?: boolean };
    return { id, name, active, isArchived };
  });
  probes.push(got.exchange);
  return got.exchange.response?.status === 404 || (got.json as { isArchived?: boolean } | undefined)?.isArchived === true;
}

/** One line per failing workflow: which workflow, which execution, what it said. */
export function describeFailure(f: FailingWorkflow): string {
  const said = f.errors
    .map(
      (e) =>
        `${e.node ? `node "${e.node}": ` : ''}${e.message.slice(0, 200)}${e.httpCode ? ` (${/^\d+$/.test(e.httpCode) ? 'HTTP' : 'code'} ${e.httpCode})` : ''}`,
    )
    .join('; ');
  return `workflow ${f.workflowId}, execution ${f.executionId} at ${f.startedAt}: ${said || 'no error saved'}`;
}

/** How many executions were read and what they showed, in one line. */
export function describeReading(r: ExecutionsReading): string {
  if (!r.readable) return `executions not read: ${r.why}`;
  const gone = r.gone.length ? `, ${r.gone.length} more failed in workflow(s) since deleted or archived (${r.gone.join(', ')})` : '';
  return `executions: read the newest ${r.read}; ${r.inScope} finished since ${r.since} (n8n's clock), the latest of ${r.workflows} workflow(s); ${r.failing.length} of those failed${gone}`;
}
