import { readFile, writeFile, chmod, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runProgram, type CommandResult } from '../parts/client/curl.ts';
import { record, type Exchange, type Outcome } from '../parts/client/exchange.ts';
import { FIXTURES_DIR } from '../parts/images/paths.ts';
import { check } from '../core/probes.ts';
import { defineScenario } from '../core/define.ts';
import { defineFamily } from '../core/family.ts';
import type { AnyScenario, Remedy, ScenarioContext, ScenarioInfo } from '../core/types.ts';
import { DEFAULT_STACK } from './stacks.ts';

const SAMPLES_DIR = join(FIXTURES_DIR, 'guide-code');
/** The placeholders the guide's samples use for the host and the key: the only text the runner replaces. */
const HOSTS = ['https://your-n8n-instance.com', 'http://localhost:5678'];
const KEYS = ['9f2c3d4e5b6a7c8d9e0f1a2b3c4d5e6f', 'YOUR_KEY'];

type SampleKind = 'shell' | 'node';

interface Sample {
  file: string;
  /** A change to the sample a correct fix makes (the path, say); identity for the sample as printed. */
  edit?: (text: string) => string;
}

function substitute(text: string, ctx: ScenarioContext): string {
  let out = text;
  for (const host of HOSTS) out = out.split(host).join(ctx.n8n.container.getBaseUrl());
  for (const key of KEYS) out = out.split(key).join(ctx.n8n.apiKey.rawApiKey);
  return out;
}

// curl is run through a wrapper that only adds -D, so the status is known whatever the sample prints.
const CURL_WRAPPER = '#!/bin/sh\nexec curl -D "$AUTHLAB_HEADER_DUMP" "$@"\n';
// node-fetch 2 answers through http.request; this preload records each status, the sample is untouched.
const STATUS_HOOK = `const http = require('http'); const fs = require('fs');
const original = http.request;
http.request = function (...args) { const req = original.apply(this, args);
  req.on('response', (res) => fs.appendFileSync(process.env.AUTHLAB_HEADER_DUMP, 'HTTP/1.1 ' + res.statusCode + '\\n'));
  return req; };\n`;

function lastStatus(dump: string): number | undefined {
  const all = [...dump.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)];
  return all.length ? Number(all[all.length - 1]![1]) : undefined;
}

/** Runs a sample of the guide as printed (host and key substituted) with real curl or a real Node process. */
async function runSample(ctx: ScenarioContext, label: string, kind: SampleKind, sample: Sample): Promise<Exchange> {
  const printed = await readFile(join(SAMPLES_DIR, sample.file), 'utf8');
  const text = substitute((sample.edit ?? ((t) => t))(printed), ctx);
  const dir = join(ctx.workdir, label.replace(/[^a-z0-9]+/gi, '-'));
  await mkdir(join(dir, 'bin'), { recursive: true });
  const dump = join(dir, 'status.txt');
  await writeFile(dump, '');
  let run: CommandResult;
  if (kind === 'shell') {
    await writeFile(join(dir, 'bin', 'curl'), CURL_WRAPPER.replace('exec curl', `exec ${await which('curl')}`));
    await chmod(join(dir, 'bin', 'curl'), 0o755);
    await writeFile(join(dir, 'sample.sh'), text);
    run = await runProgram('bash', ['sample.sh'], {
      cwd: dir,
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, AUTHLAB_HEADER_DUMP: dump },
    });
  } else {
    await writeFile(join(dir, 'sample.cjs'), text);
    await writeFile(join(dir, '.env'), `N8N_API_KEY=${ctx.n8n.apiKey.rawApiKey}\n`);
    await writeFile(join(dir, 'status-hook.cjs'), STATUS_HOOK);
    run = await runProgram(process.execPath, ['--require', './status-hook.cjs', 'sample.cjs'], {
      cwd: dir,
      env: { ...process.env, NODE_PATH: sampleModules(), AUTHLAB_HEADER_DUMP: dump },
    });
  }
  const status = lastStatus(await readFile(dump, 'utf8'));
  // curl's progress meter goes to stderr: shown only when the sample failed, as a user would look.
  const output = `${run.stdout}${run.stderr && run.exitCode !== 0 ? `\n[stderr] ${run.stderr}` : ''}`.trim();
  const url = /https?:\/\/[^\s"']+/.exec(text)?.[0] ?? '';
  return record({
    label,
    via: kind === 'shell' ? 'curl' : 'node-process',
    request: {
      method: 'GET',
      url,
      headers: [['sample', text.trim()], ...(kind === 'node' ? ([['.env', `N8N_API_KEY=${ctx.n8n.apiKey.rawApiKey}`]] as Array<[string, string]>) : [])],
    },
    ...(status !== undefined
      ? { response: { status, body: `exit ${run.exitCode}; output: ${output}` } }
      : { error: `exit ${run.exitCode}; output: ${output}` }),
  });
}

async function which(program: string): Promise<string> {
  const found = await runProgram('sh', ['-c', `command -v ${program}`]);
  if (found.exitCode !== 0) throw new Error(`${program} is not installed: the guide's samples need it (apt-get install ${program})`);
  return found.stdout.trim();
}

/** Where dotenv and node-fetch, which the section 3.2 sample requires, are installed. */
function sampleModules(): string {
  const require = createRequire(import.meta.url);
  return dirname(dirname(require.resolve('dotenv/package.json')));
}

const toPublicApi = (t: string) => t.replace('/rest/workflows', '/api/v1/workflows');

/**
 * A sample scenario: defineScenario's fields (its id written in full, `guide-code.curl-3-1`) and
 * the sample it runs as printed, each fix another sample (or the same one edited).
 */
type SampleScenario = Omit<ScenarioInfo, 'stack' | 'proveFromRequest'> & {
  kind: SampleKind;
  sample: Sample;
  remedies: Array<{ name: string; source: Remedy['source']; sample: Sample; expect?: Outcome }>;
  /** The path the sample calls, where that path is its fault (the doctor is told it, as a user would). */
  calls?: string;
};

const SAMPLE_BLIND = 'the sample is the client and calls the right path; what it gets wrong, if anything, is in its own request or output';

function sampleScenario({ kind, sample, remedies, calls, ...info }: SampleScenario): AnyScenario {
  return defineScenario({
    ...info,
    stack: DEFAULT_STACK,
    symptom: async (ctx) => [await runSample(ctx, `${sample.file} as printed`, kind, sample)],
    proveFromRequest: ([e]) => {
      const ran = e!.request.headers.map(([, v]) => v).join('\n');
      const leftover = [...HOSTS, ...KEYS].filter((p) => ran.includes(p));
      const substituted = /<api-key /.test(ran) && /http:\/\/127\.0\.0\.1:\d+/.test(ran);
      return [
        check(
          `${sample.file} ran as printed, only its host and key replaced`,
          leftover.length === 0 && substituted,
          leftover.length ? `placeholders left: ${leftover.join(', ')}` : ran.replace(/\s+/g, ' ').slice(0, 240),
        ),
      ];
    },
    remedies: remedies.map((r) => ({
      name: r.name,
      source: r.source,
      expect: r.expect,
      probe: async (ctx) => [await runSample(ctx, `${r.sample.file}${r.sample.edit ? ', fixed' : ''}`, kind, r.sample)],
    })),
    ...(calls
      ? { doctor: { names: 'rest-endpoint-with-key', input: (_ctx, phase) => (phase === 'broken' ? { path: calls } : {}) } }
      : { doctorBlind: SAMPLE_BLIND }),
  });
}

export const guideCodeFamily = defineFamily('guide-code', "The guide's own code, run as printed", [
  sampleScenario({
    id: 'guide-code.curl-3-1',
    title: "section 3.1's cURL example, run as printed, gets the workflows",
    guide: { section: '3.1', claim: 'the cURL example sends the key correctly (GET /rest/workflows with x-n8n-api-key)', fix: '' },
    predicts: { outcome: 'accepted' },
    kind: 'shell',
    sample: { file: 'section-3.1.sh' },
    remedies: [{ name: 'the same command on /api/v1/workflows', source: 'correct', sample: { file: 'section-3.1.sh', edit: toPublicApi } }],
    calls: '/rest/workflows',
  }),
  sampleScenario({
    id: 'guide-code.node-3-2',
    title: "section 3.2's Node.js example, run as printed, gets the workflows",
    guide: { section: '3.2', claim: 'the Node.js example (dotenv, .trim(), fetch on /rest/workflows) gets the workflows', fix: '' },
    predicts: { outcome: 'accepted' },
    kind: 'node',
    sample: { file: 'section-3.2.cjs' },
    remedies: [{ name: 'the same program on /api/v1/workflows', source: 'correct', sample: { file: 'section-3.2.cjs', edit: toPublicApi } }],
    calls: '/rest/workflows',
  }),
  sampleScenario({
    id: 'guide-code.curl-b-wrong-and-correct',
    title: "section B's WRONG curl is refused with 401 and its CORRECT curl works",
    guide: {
      section: 'B',
      claim: "WRONG: curl with x-n8n-api-key on /rest/workflows, the API key doesn't work here",
      fix: 'CORRECT: the same curl on /api/v1/workflows',
    },
    predicts: { outcome: 'rejected' },
    kind: 'shell',
    sample: { file: 'section-B-wrong.sh' },
    remedies: [{ name: "section B's CORRECT curl", source: 'guide', sample: { file: 'section-B-correct.sh' } }],
  }),
  sampleScenario({
    id: 'guide-code.curl-f-minimal',
    title: "section F's minimal verification curl prints 200 for a working key",
    guide: { section: 'F', claim: 'Minimal verification curl: expected output 200', fix: '' },
    predicts: { outcome: 'accepted', says: 'output: 200' },
    kind: 'shell',
    sample: { file: 'section-F-minimal.sh' },
    remedies: [],
  }),
  sampleScenario({
    id: 'guide-code.curl-f-verbose',
    title: "section F's verbose curl shows the > x-n8n-api-key line",
    guide: { section: 'F', claim: 'curl -v piped to grep shows "> x-n8n-api-key: YOUR_KEY" when the client sends the header', fix: '' },
    predicts: { outcome: 'accepted', says: '> x-n8n-api-key:' },
    kind: 'shell',
    sample: { file: 'section-F-verbose.sh' },
    remedies: [],
  }),
]);
