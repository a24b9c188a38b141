import type { Scenario } from '../../scenarios/types.ts';
import { caddyScenarios } from './caddy.ts';
import { nginxScenarios } from './nginx.ts';
import { traefikScenarios } from './traefik.ts';

export { PROXY_STACKS } from './support.ts';

export const proxyScenarios: Scenario[] = [...nginxScenarios, ...caddyScenarios, ...traefikScenarios];
