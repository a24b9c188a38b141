import { record, type Exchange } from '../../parts/client/exchange.ts';
import { runProgram, shellCurlProbe } from '../../parts/client/curl.ts';
import { check, PUBLIC_WORKFLOWS } from '../../core/probes.ts';
import { defineScenario } from '../../core/define.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { DEFAULT_STACK } from '../stacks.ts';

const CI_HEADER = '-H "X-N8N-API-KEY: $N8N_API_KEY"';

function publicUrl(ctx: ScenarioContext): string {
  return `${ctx.n8n.container.getBaseUrl()}${PUBLIC_WORKFLOWS}`;
}

/** `fetch(url, { headers: { 'X-N8N-API-KEY': process.env.N8N_API_KEY } })` in a real Node.js process without the variable. */
async function nodeStepWithoutSecret(ctx: ScenarioContext): Promise<Exchange> {
  const script =
    "fetch(process.env.AUTHLAB_URL,{headers:{'X-N8N-API-KEY':process.env.N8N_API_KEY}}).then(async r=>console.log(JSON.stringify({status:r.status,body:await r.text()})),e=>{console.error(e.message);process.exit(1)})";
  const run = await runProgram(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', AUTHLAB_URL: publicUrl(ctx) } });
  const answer = run.exitCode === 0 ? (JSON.parse(run.stdout) as { status: number; body: string }) : undefined;
  return record({
    label: "a Node.js step: fetch with headers { 'X-N8N-API-KEY': process.env.N8N_API_KEY }, the variable not set",
    via: 'node-process',
    request: { method: 'GET', url: publicUrl(ctx), headers: [['X-N8N-API-KEY', 'undefined (String(process.env.N8N_API_KEY))']] },
    ...(answer ? { response: answer } : { error: run.stderr.trim() }),
  });
}

export const ciSecret = defineScenario({
  id: 'secrets.ci-secret-not-exported',
  title: 'a CI step whose secret variable was not exported sends no key and gets 401',
  guide: {
    section: '7',
    claim: '401 in a CI pipeline: the CI secret variable was not exported',
    fix: 'echo the variable in the CI step to confirm; export N8N_API_KEY=...',
  },
  predicts: { outcome: 'rejected' },
  stack: DEFAULT_STACK,
  symptom: async (ctx) => [
    await shellCurlProbe('the CI step: curl -H "X-N8N-API-KEY: $N8N_API_KEY", the variable not exported', publicUrl(ctx), CI_HEADER, {}),
  ],
  proveFromRequest: ([sent]) => {
    const value = sent?.request.headers.find(([k]) => k.toLowerCase() === 'x-n8n-api-key')?.[1];
    return [
      check(
        'the key did not reach the request: curl sent the header empty or not at all',
        !value,
        value === undefined ? 'no X-N8N-API-KEY line in curl -v' : `X-N8N-API-KEY: "${value}"`,
      ),
    ];
  },
  // The same slip in a Node.js step: fetch turns the missing value into the string "undefined".
  alongside: async (ctx) => [await nodeStepWithoutSecret(ctx)],
  remedies: [
    {
      name: 'export N8N_API_KEY in the CI step',
      source: 'guide',
      probe: async (ctx) => [
        await shellCurlProbe('the CI step with N8N_API_KEY exported', publicUrl(ctx), CI_HEADER, { N8N_API_KEY: ctx.n8n.apiKey.rawApiKey }),
      ],
    },
  ],
  doctor: { names: 'key-missing', input: (_ctx, phase) => (phase === 'broken' ? { key: '' } : {}) },
});
