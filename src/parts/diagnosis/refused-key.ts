import { answerOf, type Exchange } from '../client/exchange.ts';
import type { KeyInspection } from '../inspect/key-inspector.ts';
import { settingsOf } from './instance-identity.ts';
import { judgeRefusedKey } from './key-refusal.ts';
import type { FailureModeId } from './modes.ts';
import { n8nMessage } from './n8n-answer.ts';
import { readOwnerAnswers, type OwnerReading } from './owner-reading.ts';
import { readAsOwner, type OwnerLogin } from './owner-session.ts';
import type { ConnectTo } from '../client/connect-to.ts';
import type { TlsTrust } from '../client/tls-trust.ts';

/** The Date header has whole seconds: an iat this far ahead of it is a real skew, not rounding. */
export const IAT_ROUNDING_S = 5;
/** n8n found the key but could not verify it (1.x says so; 2.x fails with a 500). */
const CANNOT_VERIFY = /invalid signature/i;

interface RefusedKeyContext {
  url: string;
  /** The key's characters as sent. */
  key: string;
  owner?: OwnerLogin;
  timeoutMs: number;
  tls?: TlsTrust;
  connectTo?: readonly ConnectTo[];
  probe: (label: string, base: string, path: string) => Promise<Exchange>;
  record: (e: Exchange) => void;
  found: (mode: FailureModeId, ...evidence: string[]) => void;
  notes: string[];
  unchecked: string[];
}

/**
 * Why n8n refuses a well-formed key: expiry or iat against n8n's clock; n8n unable to verify a key
 * it knows (its secret changed); an altered character; else which of the three bare-401 causes the
 * evidence allows (the signature against the secret given, what n8n 1.x says of its version, what
 * n8n says to a signed-in owner of its public API and its keys).
 */
export async function explainRefusal(inspected: KeyInspection, direct: Exchange, ctx: RefusedKeyContext): Promise<void> {
  const refused = `n8n answers ${answerOf(direct)}`;
  const signature = inspected.signature?.detail ?? 'no secret given to check the signature with';
  if (inspected.exp?.expired) return ctx.found('key-expired', `exp ${inspected.exp.at}, ${-inspected.exp.aheadBySeconds} s before n8n's clock`, refused);
  if (inspected.iat && inspected.iat.aheadBySeconds > IAT_ROUNDING_S)
    return ctx.found('key-issued-in-future', `iat ${inspected.iat.at}, ${inspected.iat.aheadBySeconds} s ahead of n8n's clock`, refused);
  if (CANNOT_VERIFY.test(n8nMessage(direct) ?? '') || direct.response?.status === 500) return ctx.found('instance-secret-changed', refused, signature);
  if (inspected.altered) return ctx.found('key-not-issued-here', 'the signature part is not canonical base64url: a character of the key was changed', refused);
  const version = settingsOf(await ctx.probe("n8n's version, without a sign-in (n8n 1.x says it)", ctx.url, '/rest/settings')).version;
  let owner: OwnerReading | undefined;
  if (ctx.owner) {
    owner = readOwnerAnswers(await readAsOwner(ctx.url, ctx.owner, { timeoutMs: ctx.timeoutMs, tls: ctx.tls, connectTo: ctx.connectTo }, ctx.record));
    if (!owner.signedIn) ctx.unchecked.push(`what n8n says of its API and keys: the owner's sign-in was refused (${owner.refusal})`);
    else ctx.notes.push(`signed in as the owner given: n8n ${owner.version ?? '(version not said)'}`);
  }
  const findings = judgeRefusedKey({
    refused,
    key: ctx.key,
    ...(inspected.claims?.sub ? { sub: inspected.claims.sub } : {}),
    ...(inspected.signature ? { signature: inspected.signature } : {}),
    ...(version ? { version } : {}),
    ...(owner ? { owner } : {}),
  });
  for (const f of findings) ctx.found(f.mode, ...f.evidence);
}
