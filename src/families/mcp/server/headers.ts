import { defineScenario } from '../../../core/define.ts';
import { NOT_IN_GUIDE } from '../../../core/guide-sections.ts';
import { check, wrongKeyOf } from '../../../core/probes.ts';
import type { AnyScenario, Check, DoctorVerdict, ScenarioInfo } from '../../../core/types.ts';
import type { Exchange } from '../../../parts/client/exchange.ts';
import { bearer, connect, MCP_SERVER_STACK, mcpDoctor, mcpReady } from './support.ts';

/** The owner's MCP token, MCP access on. */
interface Ready {
  token: string;
}

/**
 * A fault in the Authorization header the user's MCP client sends: defineScenario's fields (its id
 * written in full), the headers it sends instead of `Bearer <token>`, and how the recorded request shows it.
 */
type HeaderFault = Omit<ScenarioInfo, 'stack' | 'proveFromRequest' | 'doctorBlind'> & {
  headers: (token: string) => Record<string, string>;
  /** What the doctor, given the Authorization value the client sends, names first. */
  doctorNames: DoctorVerdict;
  proof: { what: string; test: (authorization: string | undefined) => boolean };
};

const authorizationOf = (e: Exchange | undefined): string | undefined => e?.request.headers.find(([k]) => k.toLowerCase() === 'authorization')?.[1];

function headerFault({ headers, proof, doctorNames, ...info }: HeaderFault): AnyScenario {
  return defineScenario<Ready>({
    ...info,
    stack: MCP_SERVER_STACK,
    fault: async (ctx) => {
      const { token, proof: ready } = await mcpReady(ctx);
      return { proof: ready, state: { token } };
    },
    symptom: async (ctx, { token }) => connect(ctx, info.title, headers(token)),
    proveFromRequest: ([judged]): Check[] => {
      const sent = authorizationOf(judged);
      return [check(proof.what, proof.test(sent), `Authorization as sent: ${sent === undefined ? '(none)' : sent}`)];
    },
    remedies: [
      {
        name: 'send "Authorization: Bearer <the MCP token from Settings > MCP Access>"',
        source: 'guide',
        probe: async (ctx, { token }) => connect(ctx, "the SDK's client with Authorization: Bearer <the MCP token>", bearer(token)),
      },
    ],
    doctor: mcpDoctor<Ready>(
      doctorNames,
      (_ctx, { token }) => headers(token).Authorization ?? '',
      ({ token }) => token,
    ),
  });
}

const SEND_BEARER = 'send the MCP token as "Authorization: Bearer <token>"';

export const headerScenarios: AnyScenario[] = [
  headerFault({
    id: 'mcp.server-no-authorization-header',
    refusalKeepsOut: 'an MCP client without a token',
    title: 'an MCP client that sends no Authorization header is refused with 401 "Authorization header not sent"',
    guide: {
      section: NOT_IN_GUIDE,
      claim: 'n8n answers 401 "Unauthorized: Authorization header not sent", with a WWW-Authenticate challenge',
      fix: SEND_BEARER,
    },
    predicts: { outcome: 'rejected', says: 'Authorization header not sent' },
    headers: () => ({}),
    doctorNames: 'mcp-token-missing',
    proof: { what: 'the request carried no Authorization header', test: (a) => a === undefined },
  }),
  headerFault({
    id: 'mcp.server-no-bearer-prefix',
    title: 'an MCP token sent without "Bearer " is refused with 401 "Missing Bearer prefix"',
    guide: {
      section: NOT_IN_GUIDE,
      claim: 'n8n answers 401 "Unauthorized: Invalid authorization header format - Missing Bearer prefix"',
      fix: SEND_BEARER,
    },
    predicts: { outcome: 'rejected', says: 'Missing Bearer prefix' },
    headers: (token) => ({ Authorization: token }),
    doctorNames: 'mcp-token-not-bearer',
    proof: { what: 'the Authorization header carried the token without "Bearer "', test: (a) => a !== undefined && !/^bearer\s/i.test(a) },
  }),
  headerFault({
    id: 'mcp.server-wrong-token',
    refusalKeepsOut: 'an MCP client with a wrong token',
    title: 'a wrong MCP token is refused with 401 "Unauthorized"',
    guide: {
      section: NOT_IN_GUIDE,
      claim: 'n8n answers 401 "Unauthorized" to a token it did not issue',
      fix: 'copy the MCP token again from Settings > MCP Access',
    },
    predicts: { outcome: 'rejected', says: 'Unauthorized' },
    headers: (token) => bearer(wrongKeyOf(token)),
    doctorNames: 'mcp-token-refused',
    proof: {
      what: 'the Authorization header carried "Bearer " and a token n8n did not issue (the last character changed)',
      test: (a) => a !== undefined && /^Bearer <jwt /.test(a),
    },
  }),
];
