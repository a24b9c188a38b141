import { type Exchange, judgedOf } from '../../../parts/client/exchange.ts';
import { MCP_SERVER_PATH } from '../../../parts/providers/mcp-server.ts';
import { registerSecret } from '../../../base/secrets.ts';
import { saveCredential } from '../../../core/credentials.ts';
import { defineScenario, required } from '../../../core/define.ts';
import { check, wrongKeyOf } from '../../../core/probes.ts';
import type { Check, ScenarioContext } from '../../../core/types.ts';
import { deployCredentialWorkflow, providerUrl, runWebhookWorkflow, type WebhookWorkflow } from '../../../core/workflows.ts';
import { MCP_NODES_STACK } from './trigger-scenarios.ts';

const PROVIDER = 'mcp-server';
const CREDENTIAL_NAME = 'mcp server token';

/** The workflow as deployed and the credential its MCP Client Tool uses. */
interface ClientToolState {
  workflow: WebhookWorkflow;
  credentialId: string;
}

const serverToken = (ctx: ScenarioContext): string => required(ctx.stack.providers?.secrets.MCP_SERVER_TOKEN, "the MCP server's token");

const bearerCredential = (id: string, token: string) => ({ id, name: CREDENTIAL_NAME, type: 'httpBearerAuth', data: { token } });

/** The requests n8n's MCP Client Tool made to the SDK server, as the server recorded them. */
const toServer = (run: Exchange[]): Exchange[] => run.filter((e) => e.via === 'n8n-workflow');

/** The Authorization header n8n sent, as recorded (masked). */
const authorizationOf = (e: Exchange): string => e.request.headers.find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';

/** What the server saw: each request n8n made and its status, in one line. */
function serverSaw(run: Exchange[]): string {
  return (
    toServer(run)
      .map((e) => `${e.request.method} ${e.response?.status}`)
      .join(', ') || 'no request reached it'
  );
}

/** Only the saved execution is judged: the webhook call that starts it and the server's records are context. */
const executionOnly = (run: Exchange[]): Exchange[] => run.map((e) => (e.request.url.includes('/api/v1/executions') ? e : { ...e, context: true as const }));

async function runOnce(ctx: ScenarioContext, { workflow }: ClientToolState, label: string): Promise<Exchange[]> {
  return executionOnly(await runWebhookWorkflow(ctx, workflow, label, PROVIDER));
}

export const clientToolWrongToken = defineScenario<ClientToolState>({
  id: 'mcp.client-tool-wrong-token',
  title: 'the MCP Client Tool given a wrong Bearer token fails with "Could not connect to your MCP server. Authentication failed."',
  guide: {
    section: 'not in the guide',
    claim: 'n8n: a 401 from the MCP server shows in the execution as "Could not connect to your MCP server. Authentication failed."',
    fix: "put the MCP server's token in the MCP Client Tool's Bearer Auth credential",
  },
  predicts: { outcome: 'other', says: 'Could not connect to your MCP server. Authentication failed.' },
  stack: MCP_NODES_STACK,
  fault: async (ctx) => {
    const token = serverToken(ctx);
    const { credentialId, workflow } = await deployCredentialWorkflow(ctx, {
      credential: { name: CREDENTIAL_NAME, type: 'httpBearerAuth', data: { token: registerSecret(wrongKeyOf(token), 'secret') } },
      fixture: 'mcp-client-tool-call',
      values: { mcpUrl: `${providerUrl(PROVIDER)}${MCP_SERVER_PATH}` },
    });
    // deployCredentialWorkflow returns once n8n registered the webhook; that the token is wrong shows in the server's 401 (proveFromRequest).
    const proof: Check[] = [
      check('the MCP Client Tool workflow is active and its webhook registered', true, `workflow ${workflow.id}, GET /webhook/${workflow.webhookPath}`),
    ];
    return { proof, state: { workflow, credentialId } };
  },
  symptom: (ctx, state) => runOnce(ctx, state, 'the MCP Client Tool with a wrong token'),
  proveFromRequest: (symptom) => [
    check(
      'n8n sent the MCP server a Bearer token and the server refused it with 401',
      toServer(symptom).some((e) => e.response?.status === 401 && /^Bearer \S/.test(authorizationOf(e))),
      `${serverSaw(symptom)}; Authorization: ${toServer(symptom).map(authorizationOf)[0] ?? '(none)'}`,
    ),
  ],
  remedies: [
    {
      name: "the MCP server's token in the tool's Bearer Auth credential",
      source: 'correct',
      apply: (ctx, { credentialId }) => saveCredential(ctx, bearerCredential(credentialId, serverToken(ctx))),
      probe: (ctx, state) => runOnce(ctx, state, 'the MCP Client Tool with the right token'),
      verify: (exchanges) => [
        check(
          'n8n listed and called the server’s tool, answered 200',
          toServer(exchanges).length > 0 &&
            toServer(exchanges).every((e) => e.response?.status === 200 || e.response?.status === 405 || e.response?.status === 202),
          serverSaw(exchanges),
        ),
        check(
          'the saved execution succeeded',
          judgedOf(exchanges).every((e) => e.outcome === 'accepted'),
          `${judgedOf(exchanges).length} execution(s) read`,
        ),
      ],
    },
  ],
  doctorBlind:
    "the fault is the token inside a workflow's credential, and the doctor's executions reader names a node's 401 by its HTTP code: the MCP Client Tool's connection error carries none",
});
