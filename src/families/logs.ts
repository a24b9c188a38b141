import { API_KEY_HEADER, n8nEnv, send, sendKeyRemedy, wireHasKeyHeader, wireShows, wrongKeyOf } from '../core/probes.ts';
import { defineScenario } from '../core/define.ts';
import { defineFamily } from '../core/family.ts';
import type { AnyScenario, DoctorExpectation, ScenarioContext, ScenarioInfo } from '../core/types.ts';
import { CLIENT_REQUEST_BLIND } from './headers.ts';
import { DEFAULT_STACK } from './stacks.ts';

/**
 * A log claim: defineScenario's fields (its id written in full) and the request's headers with their
 * proof. Every scenario of this family runs n8n at N8N_LOG_LEVEL=debug and reads what it wrote during the probe.
 */
type LogClaim = Omit<ScenarioInfo, 'stack' | 'proveFromRequest' | 'doctor'> & {
  headers: (ctx: ScenarioContext) => Array<[string, string]>;
  proof: { what: string; test: (wire: string) => boolean };
  /** Set where the fault is the key the user holds (the doctor sees that), not the request's form. */
  doctor?: DoctorExpectation;
};

function logClaim({ headers, proof, doctor, ...info }: LogClaim): AnyScenario {
  return defineScenario({
    ...info,
    stack: DEFAULT_STACK,
    fault: async (ctx) => {
      const level = await n8nEnv(ctx, 'N8N_LOG_LEVEL');
      const debugLines = ctx.n8n.container.logLines.all().filter((l) => /\|\s*debug\s*\|/.test(l)).length;
      return {
        proof: [
          { what: 'n8n runs at N8N_LOG_LEVEL=debug', ok: level === 'debug', evidence: `printenv N8N_LOG_LEVEL -> ${level}` },
          { what: "n8n's debug lines are being captured", ok: debugLines > 0, evidence: `${debugLines} debug line(s) captured since start` },
        ],
      };
    },
    symptom: async (ctx) => [await send(ctx, info.title, headers(ctx))],
    proveFromRequest: ([e]) => [wireShows(proof.what, e!, proof.test)],
    remedies: [sendKeyRemedy(info.guide.fix, 'guide')],
    ...(doctor ? { doctor } : { doctorBlind: CLIENT_REQUEST_BLIND }),
  });
}

const wrongKey = (ctx: ScenarioContext): Array<[string, string]> => [[API_KEY_HEADER, wrongKeyOf(ctx.n8n.apiKey.rawApiKey)]];

export const logsFamily = defineFamily('logs', 'What n8n logs at debug level', [
  logClaim({
    id: 'logs.api-key-not-recognized',
    title: 'a wrong key makes n8n log "API key not recognized"',
    guide: {
      section: 'E',
      claim: 'Log line "API key not recognized": the header was received but its value does not match the stored key',
      fix: 'verify the key value, whitespace, reload env (sections 1-4)',
    },
    predicts: { outcome: 'rejected', says: 'API key not recognized' },
    headers: wrongKey,
    proof: { what: 'a wrong value in X-N8N-API-KEY', test: wireHasKeyHeader },
    doctor: { names: 'key-not-issued-here', input: (ctx, phase) => (phase === 'broken' ? { key: wrongKey(ctx)[0]![1] } : {}) },
  }),
  logClaim({
    id: 'logs.typical-symptom-message',
    title: 'every failure answers 401 with the message "API key not recognized"',
    guide: { section: '1', claim: 'Typical symptom for all cases: 401 Unauthorized with message "API key not recognized"', fix: 'send the key as issued' },
    predicts: { outcome: 'rejected', says: 'API key not recognized' },
    headers: () => [],
    proof: { what: 'no X-N8N-API-KEY header on the wire', test: (w) => !wireHasKeyHeader(w) },
  }),
  logClaim({
    id: 'logs.unauthorized-missing-header',
    title: 'a missing header shows as "Unauthorized" with no additional message',
    guide: {
      section: 'E',
      claim: 'Unauthorized with no additional message: the header is missing entirely and never reached the auth middleware',
      fix: 'check the proxy (section 5) or the endpoint (section B)',
    },
    predicts: { outcome: 'rejected', says: 'Unauthorized' },
    headers: () => [],
    proof: { what: 'no X-N8N-API-KEY header on the wire', test: (w) => !wireHasKeyHeader(w) },
  }),
]);
