import { check } from '../../core/probes.ts';
import { answerOf } from '../../parts/client/exchange.ts';
import { type HookCall, listenForTestCall, publishWorkflow, waitsForWebhook } from './hooks.ts';
import { type HookCase, hookScenario, rightCall } from './factory.ts';

/**
 * A URL scenario: an unauthenticated GET webhook, one call whose request line `line` proves where
 * it went, n8n's 404 text (`says`) claimed, and the fix.
 */
function urlCase({ says, call, line, ...c }: Pick<HookCase, 'id' | 'title' | 'guide' | 'setup' | 'remedies'> & { says: string; call: HookCall; line: string }) {
  return hookScenario({
    ...c,
    predicts: { outcome: 'not-found', says },
    auth: 'none',
    symptom: [{ call: () => call, proves: { what: `the request line starts ${line}`, test: (lines) => (lines[0] ?? '').startsWith(line) } }],
  });
}

/** The editor's test URL, called while no editor listens (the workflow itself is published). */
const testUrl = urlCase({
  id: 'webhooks.test-url-not-listening',
  title: 'the test URL (/webhook-test/) answers 404 "not registered" when the editor is not listening',
  guide: {
    section: 'not in the guide',
    claim: 'n8n: \'The requested webhook "<path>" is not registered. Click the "Execute workflow" button on the canvas, then try again\'',
    fix: "n8n's hint: click 'Execute workflow', then call the test URL (once per click); from outside, the production URL (/webhook/<path>)",
  },
  says: 'is not registered',
  call: { label: 'GET /webhook-test/<path>, no editor listening', prefix: 'webhook-test' },
  line: 'GET /webhook-test/',
  // The production URL first: the doctor runs after the first fix that works, and a test URL serves one call per click.
  remedies: [
    { name: 'call the production URL /webhook/<path>', source: 'correct', call: rightCall('GET /webhook/<path> (production URL)') },
    {
      name: "click 'Execute workflow' (POST /rest/workflows/{id}/run from the Webhook trigger), then call the test URL",
      source: 'guide',
      apply: async (ctx, state) => {
        const run = await listenForTestCall(ctx, state.hook);
        return [check('n8n waits for the test URL call', waitsForWebhook(run), `${run.label}: ${answerOf(run, 200)}`)];
      },
      call: () => ({ label: 'GET /webhook-test/<path>, the editor listening', prefix: 'webhook-test' }),
    },
  ],
});

/** The production URL of a workflow never published (activated on 1.x). */
const unpublished = urlCase({
  id: 'webhooks.production-url-unpublished',
  title: 'the production URL of an unpublished (inactive) workflow answers 404 "not registered"',
  guide: {
    section: 'not in the guide',
    claim: 'n8n: \'The requested webhook "GET <path>" is not registered. The workflow must be active for a production URL to run successfully\'',
    fix: 'publish the workflow (n8n 1.x: activate it)',
  },
  setup: 'unpublished',
  says: 'must be active',
  call: { label: 'GET /webhook/<path>, workflow not published' },
  line: 'GET /webhook/',
  remedies: [
    {
      name: 'publish the workflow (POST /api/v1/workflows/{id}/publish; 1.x: /activate)',
      source: 'guide',
      apply: async (ctx, state) => {
        const answer = await publishWorkflow(ctx, state.hook);
        return [check('n8n published the workflow', answer.response?.status === 200, `${answer.label}: ${answer.response?.status ?? answer.error}`)];
      },
      call: rightCall('GET /webhook/<path>, workflow published'),
    },
  ],
});

/** A GET webhook called with POST. */
const wrongMethod = urlCase({
  id: 'webhooks.wrong-method',
  title: 'a GET webhook called with POST answers 404 "not registered for POST requests"',
  guide: {
    section: 'not in the guide',
    claim: "n8n: 'This webhook is not registered for POST requests. Did you mean to make a GET request?'",
    fix: 'call it with the method the Webhook node sets (GET)',
  },
  says: 'not registered for POST requests',
  call: { label: 'POST /webhook/<path> to a GET webhook', method: 'POST' },
  line: 'POST /webhook/',
  remedies: [{ name: 'call it with GET', source: 'guide', call: rightCall('GET /webhook/<path>') }],
});

export const urlScenarios = [testUrl, unpublished, wrongMethod];
