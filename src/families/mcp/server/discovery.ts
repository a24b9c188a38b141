import { defineScenario } from '../../../core/define.ts';
import { NOT_IN_GUIDE } from '../../../core/guide-sections.ts';
import { check, prerequisite } from '../../../core/probes.ts';
import type { ScenarioContext } from '../../../core/types.ts';
import type { Exchange } from '../../../parts/client/exchange.ts';
import { mcpSession } from '../../../parts/client/mcp-client.ts';
import { InMemoryOAuthClient } from '../../../parts/client/mcp-oauth-provider.ts';
import { edits } from '../../../parts/proxy/nginx-config.ts';
import { nginxSite, type SiteConfig } from '../../../parts/proxy/site-config.ts';
import { MCP_PATH, MCP_SERVER_STACK, nginxOf, publicMcp, publicMcpRoute, setMcpAccess } from './support.ts';

export const PRM_PATH = `/.well-known/oauth-protected-resource${MCP_PATH}`;
export const ONLY_MCP = nginxSite('guide-example', edits.onlyPrefix('/mcp-server/'));
const WITH_OAUTH = nginxSite('guide-example', edits.onlyPrefix('/mcp-server/'), edits.alsoForward('/.well-known/', '/mcp-oauth/'));

/** Puts a site config live on NGINX; the proof is `nginx -T`'s locations. */
async function applySite(ctx: ScenarioContext, site: SiteConfig, what: string, test: (live: string) => boolean) {
  const live = await nginxOf(ctx).applySiteConfig(await site.render());
  const locations = live.match(/location\s+\S+/g) ?? [];
  return check(what, test(live), `nginx -T: ${locations.join('; ') || live.slice(0, 200)}`);
}

/** Every request the SDK made besides the MCP endpoint itself: its OAuth discovery and registration. */
const discovery = (wire: Exchange[]): Exchange[] => wire.filter((e) => !new URL(e.request.url).pathname.startsWith('/mcp-server/'));

/** The SDK's client with its OAuth side, on the public URL (NGINX), as a user adding n8n to an AI client does. */
async function connectWithOAuth(ctx: ScenarioContext, label: string): Promise<Exchange[]> {
  return mcpSession({ ...publicMcp(ctx), label, authProvider: new InMemoryOAuthClient(), judgeOn: discovery });
}

export const discoveryPrefixOnly = defineScenario({
  id: 'mcp.server-discovery-prefix-only',
  title: "a proxy that forwards only /mcp-server/ breaks the MCP client's OAuth discovery; forwarding /.well-known/ and /mcp-oauth/ fixes it",
  guide: {
    section: NOT_IN_GUIDE,
    claim:
      "n8n's OAuth metadata sits at the root (/.well-known/oauth-protected-resource/mcp-server/http) and its endpoints under /mcp-oauth/: a proxy forwarding only the MCP path answers the client's discovery 404",
    fix: 'forward /.well-known/ and /mcp-oauth/ to n8n as well',
  },
  predicts: { outcome: 'not-found' },
  stack: MCP_SERVER_STACK,
  fault: async (ctx) => {
    const access = await setMcpAccess(ctx, true);
    if (access.some((c) => c.prerequisite)) return { proof: access };
    const prm = await ctx.n8n.client.call('GET', PRM_PATH);
    const hasOAuth = prm.status === 200 && prm.json !== undefined;
    const proof = [
      ...access,
      prerequisite(
        'this n8n has an OAuth server for its MCP server (its metadata, straight)',
        hasOAuth,
        `GET ${PRM_PATH} -> ${prm.status} ${prm.text.slice(0, 160)}`,
      ),
    ];
    if (!hasOAuth) return { proof };
    const site = await applySite(
      ctx,
      ONLY_MCP,
      'NGINX forwards only /mcp-server/',
      (live) => /location\s+\/mcp-server\//.test(live) && !/location\s+\/\s*\{/.test(live) && !/well-known/.test(live),
    );
    return { proof: [...proof, site] };
  },
  symptom: (ctx) => connectWithOAuth(ctx, "the SDK's client with its OAuth side, through NGINX on n8n's public URL"),
  remedies: [
    {
      name: 'forward /.well-known/ and /mcp-oauth/ to n8n as well',
      source: 'guide',
      apply: async (ctx) => [
        await applySite(
          ctx,
          WITH_OAUTH,
          'NGINX forwards /mcp-server/, /.well-known/ and /mcp-oauth/',
          (live) => /well-known/.test(live) && /mcp-oauth/.test(live),
        ),
      ],
      probe: (ctx) => connectWithOAuth(ctx, "the SDK's client with its OAuth side, through NGINX, after the fix"),
      verify: (exchanges) => [
        check(
          "the client registered itself with n8n's OAuth server (dynamic client registration)",
          exchanges.some((e) => e.request.url.includes('/mcp-oauth/register') && e.outcome === 'accepted'),
          exchanges.map((e) => `${e.request.method} ${new URL(e.request.url).pathname} -> ${e.response?.status ?? e.error}`).join('; '),
        ),
      ],
    },
  ],
  // The doctor at the URL the client is given (through NGINX by its public name), with no token: what an OAuth client starts from.
  doctor: {
    names: 'mcp-discovery-broken',
    input: (ctx) => {
      const { url, connectTo } = publicMcpRoute(ctx);
      return { mcp: { url }, connectTo };
    },
  },
});
