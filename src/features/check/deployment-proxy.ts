import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { hasImage } from '../../parts/images/docker-build.ts';
import { haveOfficialImage } from '../../parts/images/official-image.ts';
import type { ImageOptions } from '../../parts/images/options.ts';
import { type OfflineTraefik, offlineTraefikFor } from '../../parts/images/traefik-image.ts';
import { reproduceCaddy } from './caddy-site.ts';
import { type ComposeProject, UnreproducibleError } from './compose.ts';
import type { Deployment } from './deployment.ts';
import { readNginxSource, reproduceNginx } from './nginx-site.ts';
import { proxiesIn, type FoundProxy } from './proxy-discovery.ts';
import type { ApiRoute, ReproducedProxy } from './reproduced-proxy.ts';
import { renderTraefikRouting, traefikRoutes, traefikRoutingOf, type TraefikRouting } from './traefik-labels.ts';

/** The deployment's proxy: run for real in front of the test n8n, or (Traefik without its image) read from the file. */
export type DeploymentProxy =
  | { how: 'run'; service?: string; site: ReproducedProxy; image?: string }
  | { how: 'read'; kind: 'traefik'; service: string; routing: TraefikRouting; routes: ApiRoute[] };

export interface ProxyFinding {
  proxy?: DeploymentProxy;
  /** A proxy is in front of n8n (given, or found in the file), whether or not its config could be had. */
  behindProxy: boolean;
  /** What the report says about the proxy: where its config came from, what was not run and why. */
  notes: string[];
}

interface ProxyOptions {
  /** --nginx: this NGINX config instead of whatever the file runs. */
  nginx?: string;
  images: ImageOptions;
}

/**
 * The proxy in front of n8n: `--nginx` when given; else the NGINX, Caddy or Traefik service the
 * compose file runs, its config from the service's mounts (Traefik's from the labels on n8n).
 */
export async function deploymentProxy(project: ComposeProject, d: Deployment, opts: ProxyOptions): Promise<ProxyFinding> {
  if (opts.nginx) {
    const site = await reproduceNginx(await readNginxSource(opts.nginx), opts.nginx);
    return { proxy: { how: 'run', site }, behindProxy: true, notes: [`NGINX from --nginx ${opts.nginx}`] };
  }
  const found = proxiesIn(project);
  if (!found.length) return { behindProxy: false, notes: ['no proxy service (nginx, caddy, traefik) in the file, and no --nginx config given'] };
  const [proxy, ...others] = found;
  const notes = others.length ? [`checked ${proxy!.service.name} (${proxy!.kind}); left out ${others.map((o) => o.service.name).join(', ')}`] : [];
  const result = proxy!.kind === 'traefik' ? await traefikProxy(proxy!, d, opts.images) : await mountedProxy(proxy!);
  return { ...result, behindProxy: true, notes: [...notes, ...result.notes] };
}

const shown = (path: string) => relative(process.cwd(), path) || path;

/** NGINX or Caddy with its config mounted from the host: reproduced from that file. */
async function mountedProxy(p: FoundProxy): Promise<Omit<ProxyFinding, 'behindProxy'>> {
  const name = p.kind === 'nginx' ? 'NGINX' : 'Caddy';
  if (!p.configPath) return { notes: [`${name} (service ${p.service.name}) mounts no config the check can read; give --nginx for an NGINX config`] };
  const file = shown(p.configPath);
  const site =
    p.kind === 'nginx'
      ? await reproduceNginx(await readNginxSource(p.configPath), file)
      : reproduceCaddy(await readConfig(p.configPath, p.service.name), file, p.service.env);
  return { proxy: { how: 'run', service: p.service.name, site }, notes: [`${name} (service ${p.service.name}) with its mounted ${file}: run`] };
}

async function readConfig(path: string, service: string): Promise<string> {
  return readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UnreproducibleError(`service ${service} mounts ${path}, which cannot be read: ${err.code ?? err.message}`);
  });
}

/** Traefik configured by labels on n8n: run where its image can be had, else its routing is read. */
async function traefikProxy(p: FoundProxy, d: Deployment, images: ImageOptions): Promise<Omit<ProxyFinding, 'behindProxy'>> {
  const routing = d.main.labels['traefik.enable'] === 'false' ? undefined : traefikRoutingOf(d.main.labels);
  if (!routing) return { notes: [`Traefik (service ${p.service.name}): no router in ${d.main.name}'s labels; a file-provider config is not read`] };
  const routes = traefikRoutes(routing);
  const found = await traefikImageFor(p.image, images);
  if ('why' in found)
    return {
      proxy: { how: 'read', kind: 'traefik', service: p.service.name, routing, routes },
      notes: [
        `Traefik not run: ${p.image} is not here ${images.offline ? '(offline mode: no registry asked)' : 'and no registry serves it'}, and ${found.why}; its labels were read`,
      ],
    };
  const site: ReproducedProxy = {
    kind: 'traefik',
    source: `the traefik.* labels on ${d.main.name}`,
    config: renderTraefikRouting(routing),
    changes: ['each router on one plain-HTTP entry point, its PathPrefix kept and its Host dropped; stripPrefix and headers middlewares kept, others left out'],
    routes,
  };
  return {
    proxy: { how: 'run', service: p.service.name, site, image: found.image },
    notes: [
      `Traefik ${found.image === p.image ? p.image : `${found.image} (${found.what}, for ${p.image}, which is not here)`} (service ${p.service.name}) with the labels on ${d.main.name}: run`,
    ],
  };
}

/** The file's own Traefik image where it is here or served; else the offline build of the line its tag asks for; else why neither can run. */
async function traefikImageFor(image: string, images: ImageOptions): Promise<OfflineTraefik> {
  if (images.offline ? await hasImage(image) : await haveOfficialImage(image, images)) return { image, what: image };
  return offlineTraefikFor(image, images);
}
