import { answerOf, type Exchange } from '../client/exchange.ts';
import type { FailureModeId } from './modes.ts';

/** A public API path naming one resource: /api/v1/<collection>/<id>. */
const ONE_RESOURCE = /^(\/api\/v1\/[a-z-]+)\/([^/?#]+)$/i;

/** An id no resource has: n8n checks the key's scope before it looks an id up. */
const ABSENT_ID = 'authlab-doctor-absent-id';

export interface ResourceRefusal {
  mode: Extract<FailureModeId, 'resource-not-visible-to-key' | 'key-scope-missing'>;
  evidence: string[];
}

/**
 * Why a key that works is refused with 403 on one resource. n8n checks the endpoint's scope first:
 * with the scope, an id that does not exist answers 404; without it, 403. So 404 there and 403 on
 * the resource means the resource exists and the key's user cannot see it (a member's key on
 * another user's workflow); 403 on both, a missing scope. Undefined for a path that names no resource.
 */
export async function explainResourceRefusal(
  path: string,
  refused: Exchange,
  probe: (label: string, path: string) => Promise<Exchange>,
): Promise<ResourceRefusal | undefined> {
  const match = ONE_RESOURCE.exec(path);
  if (!match || refused.outcome !== 'forbidden') return undefined;
  const absent = await probe(`the key on an id that does not exist (${match[1]}/${ABSENT_ID})`, `${match[1]}/${ABSENT_ID}`);
  const evidence = `an id that does not exist: ${answerOf(absent)}`;
  if (absent.outcome === 'not-found')
    return { mode: 'resource-not-visible-to-key', evidence: [evidence, "the key holds the endpoint's scope; the resource exists and is not its user's"] };
  return { mode: 'key-scope-missing', evidence: [evidence] };
}
