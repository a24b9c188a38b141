import { randomBytes } from 'node:crypto';
import { record, type Exchange } from '../../parts/client/exchange.ts';
import { rawRequest } from '../../parts/client/raw-http.ts';
import { check, n8nEnv, sendKey } from '../../core/probes.ts';
import { defineScenario, required } from '../../core/define.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { fingerprint, registerSecret } from '../../base/secrets.ts';
import { JWT_SECRET, newJwtSecret } from './kept-key.ts';
import { SQLITE_STACK } from './support.ts';

/** A credential stored before the change, and the browser session of then. */
interface BeforeTheChange {
  credentialId: string;
  oldCookie: string;
}

export const jwtSecretChanged = defineScenario<BeforeTheChange>({
  id: 'secrets.jwt-secret-changed',
  refusalKeepsOut: 'keys and sessions issued before the secret changed',
  title: 'a changed N8N_USER_MANAGEMENT_JWT_SECRET rejects every API key and session, while credentials still decrypt',
  guide: {
    section: 'D',
    claim: 'a key change after a restart shows as 401 on API keys (the guide names only N8N_ENCRYPTION_KEY)',
    fix: 'restore the setting that changed',
  },
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const credentialId = await ctx.n8n.client.createCredential({
      name: 'kept secret',
      type: 'httpHeaderAuth',
      data: { name: 'Authorization', value: registerSecret(`Bearer ${randomBytes(12).toString('hex')}`) },
    });
    const oldCookie = required(ctx.n8n.client.sessionCookie(), 'the session cookie of the signed-in owner');
    const secret = newJwtSecret();
    ctx.progress(`recreating n8n with ${JWT_SECRET} set`);
    await ctx.stack.replacePrimary({ env: { [JWT_SECRET]: secret } });
    const seen = await n8nEnv(ctx, JWT_SECRET);
    return { proof: [check('n8n runs with the new JWT secret', seen === secret, `${JWT_SECRET} ${fingerprint(seen)}`)], state: { credentialId, oldCookie } };
  },
  symptom: async (ctx, { oldCookie }) => [
    await sendKey(ctx, 'the API key issued before the change'),
    await rawRequest({
      label: 'the browser session from before the change, on /rest/login (who am I)',
      url: `${ctx.n8n.container.getBaseUrl()}/rest/login`,
      headers: [['Cookie', oldCookie]],
    }),
  ],
  // Credentials are encrypted with N8N_ENCRYPTION_KEY, not the JWT secret: the editor still reads them.
  alongside: async (ctx, { credentialId }) => [await credentialRead(ctx, credentialId)],
  remedies: [
    {
      name: 'restore the JWT secret (unset N8N_USER_MANAGEMENT_JWT_SECRET) and recreate n8n',
      source: 'correct',
      apply: async (ctx) => {
        await ctx.stack.replacePrimary({ unset: [JWT_SECRET] });
      },
      probe: async (ctx) => [await sendKey(ctx, 'the API key issued before the change')],
    },
  ],
  doctor: { names: 'instance-secret-changed' },
});

/** The stored credential read back decrypted, signed in as its owner. */
async function credentialRead(ctx: ScenarioContext, id: string): Promise<Exchange> {
  const answer = await ctx.n8n.client.call('GET', `/rest/credentials/${id}?includeData=true`);
  // The value is redacted in the answer, but the header name sits in the same encrypted blob: readable means decrypted.
  const data = (answer.json as { data?: { data?: { name?: string } } } | undefined)?.data?.data;
  return record({
    label: 'the stored credential, read decrypted by its owner',
    via: 'client',
    request: { method: 'GET', url: `${ctx.n8n.container.getBaseUrl()}/rest/credentials/${id}?includeData=true`, headers: [] },
    response: { status: answer.status, body: JSON.stringify({ decrypted: data?.name === 'Authorization', headerName: data?.name ?? null }) },
  });
}
