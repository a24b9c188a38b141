import { ONLY_MCP, PRM_PATH } from '../../families/mcp/server/discovery.ts';
import { MCP_PATH, PUBLIC_HOST } from '../../families/mcp/server/support.ts';
import type { Entry, LabBase } from './lab-def.ts';

/**
 * The labs of the mcp family: AI clients against n8n's MCP endpoints. None of the oauth2 family yet:
 * its provider drops an access token from its store 15 s (oidc-provider's clock tolerance) after it
 * expires, and then its API answers 401 (unknown token), on which n8n refreshes: the 403 of
 * oauth2.expiry-signalled-403 lasts 15 s, and a lab of it would mend itself. Reconnecting a credential
 * (oauth2.revoked-refresh-token) needs the learner's browser to reach the provider, which runs on the stack's network only.
 */

const MCP_REQUEST: LabBase['symptom'] = { mcp: true };

/** The port of a proxy's URL on this host (a placeholder where no lab runs). */
const portOf = (url: string | undefined) => /:(\d+)$/.exec(url ?? '')?.[1] ?? '<proxy port>';

/** Why an MCP lab whose symptom is the client's own request has no compose export. */
const CLIENT_MADE_BY_LEARNER =
  "in an export the learner would write the MCP client's Authorization themselves, so they would make the fault with their own hands: only the running lab hands them a client already given it";

export const MCP_LABS: Record<string, Entry> = {
  'mcp.server-access-disabled': (s) => ({
    ...s,
    lab: {
      kind: 'setting',
      symptom: MCP_REQUEST,
      composeRefused:
        "its MCP token is taken while n8n's MCP setting is off, through n8n's REST API (POST /rest/mcp/api-key/rotate, signed in as the owner), which an export's learner would do by hand before the symptom shows: not written yet",
    },
  }),
  'mcp.server-public-api-key': (s) => ({ ...s, lab: { kind: 'client', symptom: MCP_REQUEST, composeRefused: CLIENT_MADE_BY_LEARNER } }),
  'mcp.server-no-bearer-prefix': (s) => ({ ...s, lab: { kind: 'client', symptom: MCP_REQUEST, composeRefused: CLIENT_MADE_BY_LEARNER } }),
  'mcp.trigger-bearer-wrong': (s) => ({
    ...s,
    lab: {
      kind: 'client',
      symptom: MCP_REQUEST,
      given: {
        file: 'credential-token',
        what: "the token the workflow's credential was saved with, as its owner keeps it (n8n's editor never shows a saved secret)",
        value: (_ctx, broken) => broken.doctorInput('fixed').mcp?.token?.replace(/^Bearer /, '') ?? '',
      },
      composeRefused: CLIENT_MADE_BY_LEARNER,
    },
  }),
  'mcp.server-discovery-prefix-only': (s) => ({
    ...s,
    lab: {
      kind: 'proxy-config',
      proxy: 'nginx',
      faultyConfig: () => ONLY_MCP.render(),
      symptom: { api: { key: 'none', path: PRM_PATH } },
      hintWhere: (st) =>
        `Ask for the same document straight from n8n: curl -s ${st.n8nUrl}${PRM_PATH}. An AI client signing in with OAuth reads it first (then the authorization server's metadata it names, then registers itself). Answers there, 404 through the proxy? Then the proxy does not pass that path to n8n.`,
      hintDoctor: (st) =>
        `Ask the doctor at the URL the AI client is given, by n8n's public name (${PUBLIC_HOST}; --connect-to sends it to the proxy, as DNS would): authlab doctor --url ${st.n8nUrl} --mcp-url http://${PUBLIC_HOST}${MCP_PATH} --connect-to ${PUBLIC_HOST}:80:127.0.0.1:${portOf(st.proxyUrl)}`,
      composeRefused:
        "the symptom is an AI client's OAuth sign-in (discovery, then registration), which the lab's --check runs with the MCP SDK's client; an export has curl only, and its check of that sign-in is not written yet",
    },
  }),
  'mcp.client-tool-wrong-token': (s) => ({
    ...s,
    lab: {
      kind: 'credential',
      symptom: { workflow: true },
      given: {
        file: 'mcp-server-token',
        what: 'the token the MCP server the workflow calls expects',
        value: (ctx) => ctx.stack.providers?.secrets.MCP_SERVER_TOKEN ?? '',
      },
      hintRunning: (n8n) =>
        `the failed execution in full (the MCP Client Tool's error and its description) and n8n's log at that run (docker logs ${n8n}): what did the MCP server answer the tool's connection, and with which credential did the tool call it?`,
      composeRefused:
        'its workflow answers its webhook at once ("Workflow was started") and fails after, so the symptom is the saved execution, not the answer curl gets; an export would need its README and its check to read the execution: not written yet',
    },
  }),
};
