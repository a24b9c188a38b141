import { randomBytes } from 'node:crypto';
import type { Exchange } from '../../parts/client/exchange.ts';
import { API_KEY_HEADER, check, send } from '../../core/probes.ts';
import type { Check, DoctorExpectation, Remedy, ScenarioContext } from '../../core/types.ts';
import { registerSecret } from '../../base/secrets.ts';

export const JWT_SECRET = 'N8N_USER_MANAGEMENT_JWT_SECRET';

export function newJwtSecret(): string {
  return registerSecret(randomBytes(24).toString('hex'), 'jwt-secret');
}

/** The JWT secret n8n should run with, and an API key signed under it: the state of the env and pm2 scenarios. */
export interface KeptKey {
  secret: string;
  keptKey: string;
}

export function sendKept(ctx: ScenarioContext, state: Pick<KeptKey, 'keptKey'>, label: string): Promise<Exchange> {
  return send(ctx, label, [[API_KEY_HEADER, state.keptKey]]);
}

/**
 * A key created now (its signature depends on the JWT secret n8n runs with), and the proof that it
 * works now (`while`: under what), before the fault changes the secret.
 */
export async function keepKey(ctx: ScenarioContext, label: string, while_: string): Promise<{ keptKey: string; worked: Check }> {
  const keptKey = (await ctx.n8n.client.createApiKey({ label })).rawApiKey;
  const before = await sendKept(ctx, { keptKey }, `the key ${while_}`);
  return { keptKey, worked: check(`the key worked ${while_}`, before.outcome === 'accepted', `${before.response?.status ?? before.error}`) };
}

/** The doctor, given the kept key and the secret it was signed under, must say the instance secret changed. */
export const SECRET_CHANGED: DoctorExpectation<KeptKey> = {
  names: 'instance-secret-changed',
  input: (_ctx, _phase, { keptKey, secret }) => ({ key: keptKey, jwtSecret: secret }),
};

/** A fix after which the kept key is sent again (`label`: that request's). */
export function keptKeyRemedy<S extends KeptKey>(name: string, source: Remedy['source'], apply: NonNullable<Remedy<S>['apply']>, label: string): Remedy<S> {
  return { name, source, apply, probe: async (ctx, state) => [await sendKept(ctx, state, label)] };
}
