import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  defineScenario,
  imageOptionsFromEnv,
  resolveN8nImage,
  runDoctor,
  runScenario,
  send,
  sendKeyRemedy,
  startAuthStack,
  wireShows,
  type StartedAuthStack,
} from 'n8n-authlab';

// Our own claim (from our runbook, not the guide): the legacy client sends the key as "x-api-key", and n8n refuses it.
const legacyHeader = defineScenario({
  id: 'acme.legacy-x-api-key',
  title: 'the legacy client sends the key as x-api-key and gets 401',
  guide: { section: 'not in the guide', claim: 'ACME runbook 2: n8n does not read x-api-key', fix: 'send X-N8N-API-KEY' },
  predicts: { outcome: 'rejected' },
  stack: { name: 'acme' },
  symptom: async (ctx) => [await send(ctx, 'the key as x-api-key', [['x-api-key', ctx.n8n.apiKey.rawApiKey]])],
  proveFromRequest: ([sent]) => [wireShows('the key travels as x-api-key', sent!, (wire) => /\\r\\nx-api-key: /.test(wire))],
  remedies: [sendKeyRemedy('send X-N8N-API-KEY', 'guide')],
});

const version = process.env.N8N_VERSION ?? '2.41.0';
let stack: StartedAuthStack;

beforeAll(async () => {
  const image = await resolveN8nImage(version, imageOptionsFromEnv());
  stack = await startAuthStack(legacyHeader.stack, { version, image });
}, 15 * 60_000);

afterAll(() => stack?.stop());

test(legacyHeader.title, async () => {
  const result = await runScenario(legacyHeader, stack);
  expect(result.verdict.kind, result.verdict.summary).toBe('as-the-guide-says');
  // The key itself is fine (the fault was the header's name): the doctor finds nothing.
  const doctor = await runDoctor({ url: stack.primary.container.getBaseUrl(), key: stack.primary.apiKey.rawApiKey });
  expect(doctor.diagnoses).toEqual([]);
});
