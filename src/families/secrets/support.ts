import { record, type Exchange } from '../../parts/client/exchange.ts';
import { check, sendKey } from '../../core/probes.ts';
import type { Check, DoctorExpectation, DoctorVerdict, ScenarioContext } from '../../core/types.ts';
import { registerSecret } from '../../base/secrets.ts';
import type { StackSpec } from '../../parts/stack/auth-stack.ts';
import { N8N_DATA_DIR, type N8nReplacement, type N8nStartError } from '../../parts/stack/n8n-container.ts';

/** One n8n on SQLite with its key in N8N_ENCRYPTION_KEY; each scenario changes its own copy. */
export const SQLITE_STACK: StackSpec = { name: 'secrets-sqlite' };

/** The encryption key in n8n's settings file (`/home/node/.n8n/config`); '' when the file has none. */
export async function settingsFileKey(ctx: ScenarioContext): Promise<string> {
  const { output } = await ctx.n8n.container.exec(['cat', `${N8N_DATA_DIR}/config`]);
  const key = (JSON.parse(output) as { encryptionKey?: string }).encryptionKey ?? '';
  return registerSecret(key, 'encryption-key');
}

/** How n8n ended, in a line: the first line of its start error. */
export const firstLineOf = (failure: N8nStartError) => failure.message.split('\n')[0]!;

/** Starts n8n (again) with `change` and proves it came up: the fixes that put a key back. */
export async function startsWith(ctx: ScenarioContext, what: string, change: N8nReplacement): Promise<Check[]> {
  const failure = await ctx.stack.tryStartPrimary(change);
  return [check(what, failure === undefined, failure ? firstLineOf(failure) : 'started')];
}

/** What a client sees while n8n is down: nothing answers; the error carries how n8n ended. */
export function n8nDown(ctx: ScenarioContext, label: string, failure: N8nStartError): Exchange {
  return record({
    label,
    via: 'client',
    request: { method: 'GET', url: `${ctx.n8n.container.getBaseUrl()}/api/v1/workflows`, headers: [] },
    error: `n8n did not start: ${failure.exit ? `it exited with code ${failure.exit.exitCode}` : 'it never became ready'}; it said: ${failure.said}`,
  });
}

/** The stack's API key on /api/v1/workflows, or the down-ness of n8n when it did not start. */
export async function keyOrDown(ctx: ScenarioContext, label: string): Promise<Exchange> {
  const failure = ctx.stack.primaryFailure;
  return failure ? n8nDown(ctx, label, failure) : sendKey(ctx, label);
}

/**
 * Where one n8n version refuses to start and another starts and refuses the key: the doctor must
 * say n8n is down, else `refused`; `accepted` where n8n shrugs the fault off.
 */
export function downOr(refused: DoctorVerdict, accepted: DoctorVerdict = refused): DoctorExpectation['names'] {
  return {
    among: ['n8n-unreachable', refused, accepted],
    decide: (symptom) =>
      symptom.some((e) => e.outcome === 'not-sent') ? 'n8n-unreachable' : symptom.every((e) => e.outcome === 'accepted') ? accepted : refused,
  };
}
