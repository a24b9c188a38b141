import { FAKETIME_LIBRARY } from '../../parts/images/layer-image.ts';
import { PROVIDER_PORT } from '../../parts/providers/types.ts';
import { providerProcess } from '../../parts/stack/provider-container.ts';
import type { Lab } from './lab-catalogue.ts';

/** The proxy of a proxy-config lab in a compose project: its image, its config file and where it goes. */
export const PROXIES = {
  nginx: { image: '${NGINX_IMAGE:-nginx:1.27}', file: 'nginx/authlab.conf', mount: '/etc/nginx/conf.d/default.conf', reload: 'nginx -s reload' },
  caddy: { image: '${CADDY_IMAGE:-caddy:2}', file: 'caddy/Caddyfile', mount: '/etc/caddy/Caddyfile', reload: 'caddy reload --config /etc/caddy/Caddyfile' },
} as const;

/** The proxy a compose export runs: a proxy lab's, or the one another lab's learner goes through. */
export function proxyOf(lab: Lab) {
  const kind = lab.lab.kind === 'proxy-config' ? lab.lab.proxy : lab.lab.composeProxy?.proxy;
  return kind ? { service: kind, ...PROXIES[kind] } : undefined;
}

/** The files of a compose export that only some labs have. */
export const SETUP_FILES = { script: 'setup.mjs', data: 'lab-setup.json', providersEnv: 'providers.env', caller: 'caller-value' } as const;

const yamlEnv = (env: Record<string, string>, indent = '      ') =>
  Object.entries(env)
    .map(([k, v]) => `${indent}${k}: ${JSON.stringify(v)}\n`)
    .join('');

/** n8n: the official image, or for a clock lab authlab's libfaketime layer with FAKETIME read from .env. */
function n8nService(lab: Lab, version: string): string {
  const clock = lab.lab.kind === 'clock';
  const image = clock ? `\${N8N_FAKETIME_IMAGE:-authlab/n8n-faketime:${version}}` : `\${N8N_IMAGE:-n8nio/n8n:${version}}`;
  const env = {
    N8N_LOG_LEVEL: 'debug',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    ...lab.stack.env,
    ...(clock ? { LD_PRELOAD: FAKETIME_LIBRARY, FAKETIME_DONT_FAKE_MONOTONIC: '1' } : {}),
  };
  return `  n8n:
    image: ${image}
    env_file: .env
    environment:
${yamlEnv(env)}    ports:
      - "127.0.0.1:\${N8N_PORT:-5678}:5678"
    volumes:
      - n8n_data:/home/node/.n8n
`;
}

/** The proxy, under its own name on the network too (a workflow may call n8n through it: http://nginx/...). */
function proxyService(lab: Lab): string {
  const proxy = proxyOf(lab);
  if (!proxy) return '';
  return `  proxy:
    image: ${proxy.image}
    depends_on:
      - n8n
    ports:
      - "127.0.0.1:\${PROXY_PORT:-8080}:80"
    volumes:
      - ./${proxy.file}:${proxy.mount}:ro
    networks:
      default:
        aliases:
          - ${proxy.service}
`;
}

/** The mock APIs the workflow calls: authlab's msw handlers, run by the n8n image's Node.js from authlab's installation (AUTHLAB_DIR). */
function providersService(lab: Lab, version: string): string {
  const providers = lab.lab.composeWorkflow?.providers ?? [];
  if (!providers.length) return '';
  const { entrypoint, mounts } = providerProcess();
  const [app, ...modules] = mounts;
  const volumes = [
    `\${AUTHLAB_DIR:-${app!.source.replace(/\/$/, '')}}:${app!.target}:ro`,
    ...modules.map((m) => `\${AUTHLAB_NODE_MODULES:-${m.source}}:${m.target}:ro`),
  ];
  return `  providers:
    image: \${N8N_IMAGE:-n8nio/n8n:${version}}
    entrypoint: ${JSON.stringify(entrypoint)}
    env_file: ${SETUP_FILES.providersEnv}
    environment:
      PROVIDERS: ${providers.join(',')}
    expose:
      - "${PROVIDER_PORT}"
    volumes:
${volumes.map((v) => `      - ${v}\n`).join('')}    networks:
      default:
        aliases:
${providers.map((p) => `          - ${p}\n`).join('')}`;
}

/** `docker compose run --rm setup`: the credential and workflow made in n8n with the learner's key (setup.mjs). */
function setupService(lab: Lab, version: string): string {
  if (!lab.lab.composeWorkflow) return '';
  // root: the learner's api-key is mode 600, owned by whoever made it.
  return `  setup:
    image: \${N8N_IMAGE:-n8nio/n8n:${version}}
    profiles: ["setup"]
    user: "0"
    entrypoint: ["node", "/lab/${SETUP_FILES.script}"]
    depends_on:
      - n8n
    volumes:
      - ./${SETUP_FILES.script}:/lab/${SETUP_FILES.script}:ro
      - ./${SETUP_FILES.data}:/lab/${SETUP_FILES.data}:ro
      - ./api-key:/lab/api-key:ro
`;
}

/** The compose file of a lab export: n8n and what the lab needs beside it; secrets and the fault's env stay in .env. */
export function composeFile(lab: Lab, version: string): string {
  return `services:\n${n8nService(lab, version)}${proxyService(lab)}${providersService(lab, version)}${setupService(lab, version)}volumes:\n  n8n_data: {}\n`;
}

/** The services a compose export runs (for labels, say). */
export function composeServices(lab: Lab): string[] {
  return [
    'n8n',
    ...(proxyOf(lab) ? ['proxy'] : []),
    ...(lab.lab.composeWorkflow?.providers.length ? ['providers'] : []),
    ...(lab.lab.composeWorkflow ? ['setup'] : []),
  ];
}
