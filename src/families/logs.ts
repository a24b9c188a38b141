import { API_KEY_HEADER, n8nEnv, send, sendKeyRemedy, wireHasKeyHeader, wireShows, wrongKeyOf } from '../core/probes.ts';
import { defineScenario } from '../core/define.ts';
import { defineFamily } from '../core/family.ts';
import type { GuideSection } from '../core/guide-sections.ts';
import type { AnyScenario, DoctorExpectation, ScenarioContext } from '../core/types.ts';
import { CLIENT_REQUEST_BLIND } from './headers.ts';
import { DEFAULT_STACK } from './stacks.ts';

/** Every scenario of this family runs n8n at N8N_LOG_LEVEL=debug and reads what it wrote during the probe. */
interface LogClaim {
  id: string;
  title: string;
  section: GuideSection;
  claim: string;
  fix: string;
  says: string;
  headers: (ctx: ScenarioContext) => Array<[string, string]>;
  proof: { what: string; test: (wire: string) => boolean };
  /** Set where the fault is the key the user holds (the doctor sees that), not the request's form. */
  doctor?: DoctorExpectation;
}

function logClaim(c: LogClaim): AnyScenario {
  return defineScenario({
    id: `logs.${c.id}`,
    title: c.title,
    guide: { section: c.section, claim: c.claim, fix: c.fix },
    predicts: { outcome: 'rejected', says: c.says },
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
    symptom: async (ctx) => [await send(ctx, c.title, c.headers(ctx))],
    proveFromRequest: ([e]) => [wireShows(c.proof.what, e!, c.proof.test)],
    remedies: [sendKeyRemedy(c.fix, 'guide')],
    ...(c.doctor ? { doctor: c.doctor } : { doctorBlind: CLIENT_REQUEST_BLIND }),
  });
}

const wrongKey = (ctx: ScenarioContext): Array<[string, string]> => [[API_KEY_HEADER, wrongKeyOf(ctx.n8n.apiKey.rawApiKey)]];

export const logsFamily = defineFamily('logs', 'What n8n logs at debug level', [
  logClaim({
    id: 'api-key-not-recognized',
    title: 'a wrong key makes n8n log "API key not recognized"',
    section: 'E',
    claim: 'Log line "API key not recognized": the header was received but its value does not match the stored key',
    fix: 'verify the key value, whitespace, reload env (sections 1-4)',
    says: 'API key not recognized',
    headers: wrongKey,
    proof: { what: 'a wrong value in X-N8N-API-KEY', test: wireHasKeyHeader },
    doctor: { names: 'key-not-issued-here', input: (ctx, phase) => (phase === 'broken' ? { key: wrongKey(ctx)[0]![1] } : {}) },
  }),
  logClaim({
    id: 'typical-symptom-message',
    title: 'every failure answers 401 with the message "API key not recognized"',
    section: '1',
    claim: 'Typical symptom for all cases: 401 Unauthorized with message "API key not recognized"',
    fix: 'send the key as issued',
    says: 'API key not recognized',
    headers: () => [],
    proof: { what: 'no X-N8N-API-KEY header on the wire', test: (w) => !wireHasKeyHeader(w) },
  }),
  logClaim({
    id: 'unauthorized-missing-header',
    title: 'a missing header shows as "Unauthorized" with no additional message',
    section: 'E',
    claim: 'Unauthorized with no additional message: the header is missing entirely and never reached the auth middleware',
    fix: 'check the proxy (section 5) or the endpoint (section B)',
    says: 'Unauthorized',
    headers: () => [],
    proof: { what: 'no X-N8N-API-KEY header on the wire', test: (w) => !wireHasKeyHeader(w) },
  }),
]);
