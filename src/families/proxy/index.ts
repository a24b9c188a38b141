import { defineFamily } from '../../core/family.ts';
import { caddyScenarios } from './caddy.ts';
import { nginxScenarios } from './nginx.ts';
import { otherInstanceScenario } from './other-instance.ts';
import { traefikScenarios } from './traefik.ts';

export { PROXY_STACKS } from './support.ts';

export const proxyFamily = defineFamily('proxy', 'Reverse proxies: NGINX, Caddy and Traefik in front of n8n', [
  ...nginxScenarios,
  ...caddyScenarios,
  ...traefikScenarios,
  otherInstanceScenario,
]);
