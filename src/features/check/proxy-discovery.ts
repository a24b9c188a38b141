import { join } from 'node:path';
import type { ProxyKind } from '../../parts/images/service-images.ts';
import type { ComposeProject, ComposeService, ComposeVolume } from './compose.ts';

/** nginx, caddy or traefik, with or without a registry and a tag (`docker.io/library/nginx:1.27-alpine`). */
const PROXY_IMAGE = /^(?:[^@]+\/)?(nginx|nginx-unprivileged|caddy|traefik)(?::([^@/]+))?(?:@.*)?$/;

/** A proxy service found in the compose file, and where its config is mounted from. */
export interface FoundProxy {
  kind: ProxyKind;
  service: ComposeService;
  /** Its image without a registry (`docker.io/library/traefik:v3.3` -> `traefik:v3.3`; no tag is latest). */
  image: string;
  /** The host path of its mounted config (an NGINX file or conf.d folder, a Caddyfile). */
  configPath?: string;
}

/** Where each proxy's official image reads its config, most specific first. */
const CONFIG_TARGETS: Record<Exclude<ProxyKind, 'traefik'>, Array<{ target: RegExp; file?: string }>> = {
  nginx: [
    { target: /^\/etc\/nginx\/conf\.d(\/[^/]+\.conf)?$/ },
    { target: /^\/etc\/nginx\/sites-enabled(\/[^/]+)?$/ },
    { target: /^\/etc\/nginx\/nginx\.conf$/ },
  ],
  caddy: [{ target: /^\/etc\/caddy\/Caddyfile$/ }, { target: /^\/etc\/caddy$/, file: 'Caddyfile' }],
};

function configPathOf(kind: ProxyKind, volumes: ComposeVolume[]): string | undefined {
  if (kind === 'traefik') return undefined;
  for (const { target, file } of CONFIG_TARGETS[kind]) {
    const mount = volumes.find((v) => v.hostPath && target.test(v.target.replace(/\/$/, '')));
    if (mount?.hostPath) return file ? join(mount.hostPath, file) : mount.hostPath;
  }
  return undefined;
}

/** The proxies in the compose file (by image), each with its mounted config where it has one. */
export function proxiesIn(project: ComposeProject): FoundProxy[] {
  return project.services.flatMap((service) => {
    const m = service.image ? PROXY_IMAGE.exec(service.image) : null;
    if (!m) return [];
    const kind = (m[1] === 'nginx-unprivileged' ? 'nginx' : m[1]) as ProxyKind;
    const configPath = configPathOf(kind, service.volumes);
    return [{ kind, service, image: `${m[1]}:${m[2] ?? 'latest'}`, ...(configPath ? { configPath } : {}) }];
  });
}
