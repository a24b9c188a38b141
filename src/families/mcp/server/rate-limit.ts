import { defineScenario, required } from '../../../core/define.ts';
import { NOT_IN_GUIDE } from '../../../core/guide-sections.ts';
import { check, prerequisite } from '../../../core/probes.ts';
import type { Check, ScenarioContext } from '../../../core/types.ts';
import { type Exchange, record } from '../../../parts/client/exchange.ts';
import { mcpSession } from '../../../parts/client/mcp-client.ts';
import { edits } from '../../../parts/proxy/nginx-config.ts';
import { nginxSite } from '../../../parts/proxy/site-config.ts';
import { bearer, MCP_PATH, MCP_SERVER_STACK, mcpReady, nginxOf, publicMcp } from './support.ts';

const LIMIT = 3;
const TOO_MANY = 429;
/** Another user's MCP client: a process in another container of the stack, through the same NGINX. */
const OTHER_CLIENT = `const [url, auth] = process.argv.slice(1);
fetch(url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'other-user', version: '1' } } }) })
  .then(async (r) => console.log(JSON.stringify({ status: r.status, remaining: r.headers.get('x-ratelimit-remaining'), body: (await r.text()).slice(0, 300) })))
  .catch((e) => console.log(JSON.stringify({ error: String(e) })));`;

interface Ready {
  token: string;
}

/** The first user's SDK client through NGINX until n8n answers 429 (at most four sessions): its bucket is spent. */
async function spendBucket(ctx: ScenarioContext, token: string): Promise<Exchange[]> {
  const wire: Exchange[] = [];
  for (let i = 0; i < 4 && !wire.some((e) => e.response?.status === TOO_MANY); i++) {
    const [, ...session] = await mcpSession({ ...publicMcp(ctx), label: 'the first user', headers: bearer(token) });
    wire.push(...session.map((e) => ({ ...e, label: `the first user's SDK client: ${e.label}` })));
  }
  return wire;
}

/** A second user's client, from another address (the tap's container), through the same NGINX. */
async function otherUser(ctx: ScenarioContext, token: string, label: string): Promise<Exchange> {
  const url = `http://nginx${MCP_PATH}`;
  const tap = required(ctx.stack.proxy?.tap, 'the stack has no tap');
  const { output } = await tap.exec(['node', '-e', OTHER_CLIENT, url, `Bearer ${token}`]);
  const answer = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { status?: number; remaining?: string | null; body?: string; error?: string };
  const request = { method: 'POST', url, headers: [['authorization', `Bearer ${token}`]] as Array<[string, string]> };
  if (answer.status === undefined) return record({ label, via: 'node-process', request, error: answer.error ?? output.slice(0, 200) });
  return record({
    label,
    via: 'node-process',
    request,
    response: { status: answer.status, body: answer.body ?? '', headers: [['x-ratelimit-remaining', String(answer.remaining)]] },
  });
}

/** Both users, the first one's bucket spent first; the second's answer is judged. */
async function twoUsers(ctx: ScenarioContext, token: string, label: string): Promise<Exchange[]> {
  const first = await spendBucket(ctx, token);
  return [await otherUser(ctx, token, label), ...first.map((e) => ({ ...e, context: true as const }))];
}

export const sharedRateLimit = defineScenario<Ready>({
  id: 'mcp.server-rate-limit-behind-proxy',
  title: "behind a proxy without N8N_PROXY_HOPS, every MCP client shares one rate-limit bucket: one user's client spends it and another's is refused 429",
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      "n8n limits /mcp-server/http per client address (N8N_MCP_SERVER_RATE_LIMIT a window); behind a proxy it sees only the proxy's address unless N8N_PROXY_HOPS is set, so all clients share one bucket",
    fix: 'set N8N_PROXY_HOPS=1 (the proxy sets X-Forwarded-For)',
  },
  predicts: { outcome: 'other', says: 'Too many requests' },
  stack: MCP_SERVER_STACK,
  fault: async (ctx) => {
    const { token, proof } = await mcpReady(ctx);
    if (!token) return { proof, state: { token } };
    const live = await nginxOf(ctx).applySiteConfig(await nginxSite('guide-example', edits.forwardedFor).render());
    await ctx.stack.replacePrimary({ env: { N8N_MCP_SERVER_RATE_LIMIT: String(LIMIT) } });
    const env = (await ctx.stack.primary.container.exec(['sh', '-c', 'printenv N8N_MCP_SERVER_RATE_LIMIT; printenv N8N_PROXY_HOPS || echo unset'])).output
      .trim()
      .replace(/\s+/g, ' ');
    const limit = await limitAnnounced(ctx, token);
    const checks: Check[] = [
      ...proof,
      check(
        'NGINX sets X-Forwarded-For',
        /proxy_set_header\s+X-Forwarded-For/.test(live),
        'nginx -T: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for',
      ),
      check(
        'n8n restarted with N8N_MCP_SERVER_RATE_LIMIT and no N8N_PROXY_HOPS',
        env === `${LIMIT} unset`,
        `N8N_MCP_SERVER_RATE_LIMIT, N8N_PROXY_HOPS: ${env}`,
      ),
      prerequisite(`this n8n reads N8N_MCP_SERVER_RATE_LIMIT (the limit it announces is ${LIMIT})`, limit === String(LIMIT), `x-ratelimit-limit: ${limit}`),
    ];
    return { proof: checks, state: { token } };
  },
  symptom: (ctx, { token }) => twoUsers(ctx, token, "a second user's MCP client, from another address, after the first user's spent the bucket"),
  remedies: [
    {
      name: 'set N8N_PROXY_HOPS=1',
      source: 'guide',
      apply: async (ctx) => {
        await ctx.stack.replacePrimary({ env: { N8N_PROXY_HOPS: '1' } });
        return [check('n8n restarted with N8N_PROXY_HOPS=1', true, 'N8N_PROXY_HOPS=1')];
      },
      probe: (ctx, { token }) => twoUsers(ctx, token, "the second user's MCP client, after the first user's spent its own bucket"),
    },
  ],
  doctorBlind: "one client's probe cannot tell a bucket shared with every other client from its own: the doctor has no rate-limit mode",
});

/** The limit n8n announces on a straight request to its MCP server (x-ratelimit-limit), spending one of the window's requests. */
async function limitAnnounced(ctx: ScenarioContext, token: string): Promise<string> {
  const [, ...wire] = await mcpSession({ label: 'the limit', url: `${ctx.stack.primary.container.getBaseUrl()}${MCP_PATH}`, headers: bearer(token) });
  return wire[0]?.response?.headers?.find(([k]) => k === 'x-ratelimit-limit')?.[1] ?? '(none)';
}
