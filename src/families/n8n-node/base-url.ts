import type { Exchange } from '../../parts/client/exchange.ts';
import { judgeTestGreenRunFails } from '../../core/credentials.ts';
import { defineScenario } from '../../core/define.ts';
import { check } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { BASE_URLS, deployed, DOCTOR_FROM_NODE_EXECUTION, editCall, N8N_NODE_STACK, reachedByTap, runNodeCall, type NodeState } from './support.ts';

const listWorkflows = (ctx: ScenarioContext, baseUrl: string) => ({ resource: 'workflow' as const, baseUrl, apiKey: ctx.n8n.apiKey.rawApiKey });

/** Proof from the tap: the node's requests reached n8n on paths outside /api/v1. */
function calledOutsideApi(symptom: Exchange[]): Check[] {
  const paths = reachedByTap(symptom).map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`);
  return [
    check(
      "the credential test's and the node's requests reached n8n without /api/v1 in their paths",
      paths.length > 0 && paths.every((p) => !p.includes('/api/v1/')),
      paths.join('; ') || 'no request reached n8n',
    ),
  ];
}

export const baseUrlWithoutApi = defineScenario<NodeState>({
  id: 'n8n-node.base-url-without-api-v1',
  title: "the n8n API credential's test is green with a Base URL without /api/v1, and the n8n node fails with 404",
  guide: {
    section: 'not in the guide',
    claim:
      "the n8n API credential connects successfully without /api/v1 at the end of the Base URL, yet the n8n node then fails: 'The resource you are requesting could not be found' (n8n-io/n8n#26305, #15558)",
    fix: "end the Base URL with /api/v1, as the credential's placeholder shows (https://<name>.app.n8n.cloud/api/v1)",
  },
  predicts: { outcome: 'not-found', says: 'could not be found' },
  stack: N8N_NODE_STACK,
  fault: (ctx) => deployed(ctx, listWorkflows(ctx, BASE_URLS.serviceNameWithoutApi)),
  symptom: (ctx, state) => runNodeCall(ctx, state, 'Base URL without /api/v1'),
  proveFromRequest: calledOutsideApi,
  judge: judgeTestGreenRunFails,
  doctor: DOCTOR_FROM_NODE_EXECUTION,
  remedies: [editCall('end the Base URL with /api/v1', 'guide', (_ctx, call) => ({ ...call, baseUrl: BASE_URLS.serviceName }), 'Base URL with /api/v1')],
});

export const localhostBaseUrl = defineScenario<NodeState>({
  id: 'n8n-node.localhost-base-url',
  title: 'an n8n API credential with Base URL http://localhost:5678/api/v1 does not reach n8n from inside its container',
  guide: {
    section: 'B',
    claim: "self-referencing n8n API credential: n8n inside Docker doesn't reach itself via localhost (Base URL http://localhost:5678/api/v1)",
    fix: 'Base URL: the container or service name, http://n8n:5678/api/v1',
  },
  predicts: { outcome: 'not-sent' },
  stack: N8N_NODE_STACK,
  fault: (ctx) => deployed(ctx, listWorkflows(ctx, BASE_URLS.localhost)),
  symptom: (ctx, state) => runNodeCall(ctx, state, 'Base URL http://localhost:5678/api/v1'),
  // localhost inside n8n's container never passes the tap: nothing may have reached n8n by its service name.
  proveFromRequest: (symptom) => [
    check(
      'neither the credential test nor the node called n8n by its service name (the tap saw nothing)',
      reachedByTap(symptom).length === 0,
      `${reachedByTap(symptom).length} request(s) reached the tap`,
    ),
  ],
  doctor: DOCTOR_FROM_NODE_EXECUTION,
  remedies: [
    editCall(
      'Base URL: the service name, http://n8n:5678/api/v1',
      'guide',
      (_ctx, call) => ({ ...call, baseUrl: BASE_URLS.serviceName }),
      'Base URL http://n8n:5678/api/v1',
    ),
  ],
});
