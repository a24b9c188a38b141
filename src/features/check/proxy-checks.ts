import { runDoctor } from '../../parts/diagnosis/doctor.ts';
import { verifiedFixes } from '../doctor/verified-fixes.ts';
import type { DoctorVerdict } from '../../core/types.ts';
import { API_KEY_HEADER, PUBLIC_WORKFLOWS } from '../../core/probes.ts';
import type { StartedAuthStack } from '../../parts/stack/auth-stack.ts';
import type { DeployCheck } from './checks.ts';
import type { Deployment } from './deployment.ts';
import { PROXY_NAMES, type ApiRoute, type ReproducedProxy } from './reproduced-proxy.ts';
import type { TraefikRouting } from './traefik-labels.ts';

const KEY_SCENARIOS = [
  'proxy.blanked-header',
  'proxy.inheritance-trap',
  'proxy.pass-request-headers-off',
  'proxy.static-key-injected',
  'proxy.underscore-name-dropped',
  'proxy.caddy-header-removed',
  'proxy.traefik-static-key-injected',
];

/** A catalogue scenario's proxy, from its id (proxy.caddy-..., proxy.traefik-..., else NGINX). */
const scenarioProxy = (id: string): ReproducedProxy['kind'] => (/^proxy\.caddy-/.test(id) ? 'caddy' : /^proxy\.traefik-/.test(id) ? 'traefik' : 'nginx');

/** The fixes the catalogue verified for these modes, on this proxy where it verified any there. */
function fixesFor(modes: DoctorVerdict[], kind: ReproducedProxy['kind']): string[] {
  const all = modes.flatMap((m) => verifiedFixes(m));
  const own = all.filter((f) => scenarioProxy(f.scenario) === kind);
  return [...new Set((own.length ? own : all).map((f) => `${f.fix} (verified by ${f.scenario})`))];
}

function keyCheck(proxy: string, how: DeployCheck['how'], evidence: string[], fixes: string[]): DeployCheck {
  return {
    id: 'key-through-proxy',
    title: `the key reaches n8n through every ${proxy} route to the public API`,
    section: '5, 7, Q2',
    scenarios: KEY_SCENARIOS,
    how,
    passed: fixes.length === 0,
    evidence,
    ...(fixes.length ? { fix: fixes.join('; ') } : {}),
  };
}

/** Run: the key, sent as a client sends it, through every route of the reproduced proxy; judged by the doctor's proxy tree. */
export async function keyThroughProxy(stack: StartedAuthStack, site: ReproducedProxy): Promise<DeployCheck> {
  const proxy = stack.proxy?.servers[site.kind];
  const name = PROXY_NAMES[site.kind];
  if (!proxy) throw new Error(`the reproduced stack has no ${name}`);
  const evidence: string[] = [`${name} config from ${site.source}`, ...site.changes.map((c) => `reproduced: ${c}`)];
  const modes: DoctorVerdict[] = [];
  for (const route of site.routes) {
    const report = await runDoctor({
      url: stack.primary.container.getBaseUrl(),
      proxyUrl: `${proxy.getBaseUrl()}${route.prefix}`,
      key: stack.primary.apiKey.rawApiKey,
    });
    const found = report.diagnoses.filter((d) => d.mode.startsWith('proxy-'));
    const where = `GET ${route.prefix}${PUBLIC_WORKFLOWS} through ${name} (${route.location})`;
    if (!found.length) evidence.push(`${where}: the key reached n8n and worked`);
    for (const d of found) {
      modes.push(d.mode);
      evidence.push(`${where}: ${d.mode}: ${d.evidence.join('; ')}`);
    }
  }
  if (site.kind === 'nginx')
    evidence.push(
      site.underscoresInHeaders
        ? 'underscores_in_headers on: a key sent as X_N8N_API_KEY passes NGINX, and n8n does not read it'
        : 'clients must send X-N8N-API-KEY with dashes: NGINX drops X_N8N_API_KEY',
    );
  return keyCheck(name, 'run', evidence, modes.length ? fixesFor(modes, site.kind) : []);
}

/** Read (Traefik not run): does a headers middleware on a router to n8n remove or overwrite X-N8N-API-KEY? */
export function keyThroughTraefikLabels(routing: TraefikRouting, note: string): DeployCheck {
  const evidence = [note];
  let touched = 0;
  for (const router of routing.routers) {
    const touching = router.middlewares.flatMap((name) =>
      Object.entries(routing.middlewares[name]?.requestHeaders ?? {})
        .filter(([header]) => header.toLowerCase() === API_KEY_HEADER.toLowerCase())
        .map(([header, value]) => ({ name, header, value })),
    );
    if (!touching.length) evidence.push(`router ${router.name}: no middleware touches ${API_KEY_HEADER}; Traefik forwards request headers as sent`);
    for (const t of touching) {
      touched++;
      evidence.push(
        `router ${router.name}: middleware ${t.name} sets customRequestHeaders.${t.header}=${t.value === '' ? '"" (Traefik removes the header: no key reaches n8n)' : '<a value> (every request reaches n8n with that key, whatever the client sent)'}`,
      );
    }
    for (const name of router.middlewares.filter((m) => routing.middlewares[m]?.other))
      evidence.push(`router ${router.name}: middleware ${name} (${routing.middlewares[name]!.other}) not judged from the labels`);
  }
  // Traefik's scenarios run only where its image can be had: the fix is named, not claimed verified.
  const fixes = touched ? [`remove ${API_KEY_HEADER} from the headers middleware's customRequestHeaders: Traefik then forwards the client's key as sent`] : [];
  return keyCheck('Traefik', 'read', evidence, fixes);
}

/**
 * Read: a route under a path prefix. n8n serves its API at the root only, so the proxy must strip
 * the prefix (proxy.path-prefix: passed through, the API fails); and n8n must know it (N8N_PATH)
 * for the editor's links and its webhook URLs to carry it, as n8n's docs for a sub-path say.
 */
export function proxyPath(d: Deployment, routes: ApiRoute[], kind: ReproducedProxy['kind']): DeployCheck {
  const n8nPath = (d.main.env.N8N_PATH ?? '').replace(/\/$/, '');
  const prefixed = routes.filter((r) => r.prefix);
  const problems: string[] = [];
  const evidence = [`N8N_PATH=${d.main.env.N8N_PATH ?? '(unset)'}`];
  for (const r of prefixed) {
    const stripped = r.stripped ? 'strips it' : `passes it to n8n unchanged (n8n answers ${r.prefix}${PUBLIC_WORKFLOWS} with 404)`;
    evidence.push(`${PROXY_NAMES[kind]} ${r.location}: prefix ${r.prefix}, ${stripped}`);
    if (!r.stripped) problems.push(`strip ${r.prefix} before n8n (verified by proxy.path-prefix)`);
    else if (n8nPath !== r.prefix) problems.push(`set N8N_PATH=${r.prefix}/ on ${d.main.name} (and WEBHOOK_URL with the prefix)`);
  }
  return {
    id: 'proxy-path',
    title: 'under a path prefix: the proxy strips it and n8n knows it (N8N_PATH)',
    section: 'Q2',
    scenarios: ['proxy.path-prefix'],
    how: 'read',
    passed: problems.length === 0,
    evidence,
    ...(problems.length ? { fix: [...new Set(problems)].join('; ') } : {}),
  };
}
