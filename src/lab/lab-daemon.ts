import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExchange, judgedOf } from '../client/exchange.ts';
import type { ImageOptions } from '../images/options.ts';
import { probeRemedy, scenarioContext } from '../scenarios/runner.ts';
import { resolvingStackPool } from '../scenarios/plan.ts';
import type { BrokenScenario, ScenarioContext } from '../scenarios/types.ts';
import { mask } from '../secrets.ts';
import { cleanupOnSignals } from '../stack/cleanup.ts';
import { PORT_TAKEN_BY_ENGINE } from '../stack/host-port.ts';
import { RUN_ID } from '../stack/labels.ts';
import { NGINX_SITE_PATH, type StartedNginxContainer } from '../stack/nginx-container.ts';
import { labDir, removeLabDir, writeLabState, type LabState } from './lab-state.ts';
import { labScenario, verifiedRemedies, type LabScenario } from './labs.ts';

/** What `--check` answers: fixed or not, and what each probe got. */
export interface LabCheck {
  fixed: boolean;
  lines: string[];
}

/**
 * The lab's own process (started detached by `authlab lab <id>`): it boots the stack, breaks it,
 * writes the learner's workspace, and then serves --check, --reset and --down on a loopback port
 * until told to stop. Its containers carry its pid, so a sweep removes them once it is gone.
 */
export async function serveLab(id: string, version: string, images: ImageOptions, opts: { proxyPort?: number } = {}): Promise<void> {
  const scenario = labScenario(id);
  const log = (line: string) => process.stdout.write(`${mask(line)}\n`);
  const base: LabState = { id, version, status: 'starting', pid: process.pid, runId: RUN_ID };
  await writeLabState(base);
  cleanupOnSignals(log);
  const pool = resolvingStackPool(images, log, opts.proxyPort ? { proxyHostPorts: { nginx: opts.proxyPort } } : {});
  try {
    const stack = await pool.acquire(version, scenario);
    const ctx = scenarioContext(stack, await mkdtemp(join(tmpdir(), `authlab-lab-${id}-`)), log);
    const nginx = stack.proxy?.servers.nginx as StartedNginxContainer | undefined;
    if (!nginx) throw new Error(`${id} needs NGINX in its stack`);
    const faulted = { broken: await breakStack(scenario, ctx) };
    const keyFile = join(labDir(id), 'api-key');
    await writeFile(keyFile, ctx.n8n.apiKey.rawApiKey, { mode: 0o600 });
    const workspace = await writeWorkspace(id, nginx);
    const symptom = (await faulted.broken.symptom()).map((e) => describeExchange(e));
    const token = randomBytes(16).toString('hex');
    const server = createServer((req, res) => void control(req, res, token, { scenario, ctx, nginx, stop, faulted }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    async function stop(): Promise<void> {
      server.close();
      await pool.stopAll();
      await removeLabDir(id);
      process.exit(0);
    }
    await writeLabState({
      ...base,
      status: 'ready',
      control: { port, token },
      n8nUrl: ctx.n8n.container.getBaseUrl(),
      proxyUrl: nginx.getBaseUrl(),
      proxyContainer: containerName(nginx),
      keyFile,
      workspace,
      symptom: [...faultLines(faulted.broken), ...symptom],
    });
    log(`lab ${id} ready on n8n ${version}`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const error =
      opts.proxyPort && PORT_TAKEN_BY_ENGINE.test(message)
        ? `port ${opts.proxyPort} on 127.0.0.1 was taken before NGINX could publish it; pick another with --port`
        : message;
    await writeLabState({ ...base, status: 'failed', error: mask(error) });
    await pool.stopAll();
    process.exit(1);
  }
}

/** The name `docker` commands take (the engine reports it with a leading slash). */
const containerName = (c: StartedNginxContainer) => c.getName().replace(/^\//, '');

/** Applies the scenario's fault; throws unless its proof holds. */
async function breakStack(scenario: LabScenario, ctx: ScenarioContext): Promise<BrokenScenario> {
  const broken = await scenario.applyFault(ctx);
  const failed = broken.proof.filter((c) => !c.ok);
  if (failed.length) throw new Error(`the fault did not apply: ${failed.map((c) => `${c.what}: ${c.evidence}`).join('; ')}`);
  return broken;
}

const faultLines = (broken: BrokenScenario) => broken.proof.map((c) => `fault applied: ${c.what}`);

/** The config NGINX runs, copied to the host for the learner to edit, and the commands that make an edit live. */
async function writeWorkspace(id: string, nginx: StartedNginxContainer): Promise<NonNullable<LabState['workspace']>> {
  const dir = join(labDir(id), 'nginx');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'authlab.conf');
  await writeFile(file, (await nginx.exec(['cat', NGINX_SITE_PATH])).output);
  const name = containerName(nginx);
  return { files: [file], apply: [`docker cp ${file} ${name}:${NGINX_SITE_PATH}`, `docker exec ${name} nginx -s reload`] };
}

/** Re-runs the probes of the fix the catalogue verified, against the stack as the learner left it. */
async function checkLab(broken: BrokenScenario): Promise<LabCheck> {
  const lines: string[] = [];
  let fixed = true;
  for (const remedy of verifiedRemedies(broken.remedies)) {
    const seen = await probeRemedy(remedy, []);
    fixed &&= seen.resolved;
    for (const e of judgedOf(seen.exchanges)) lines.push(`${e.outcome === seen.expect ? 'ok     ' : 'not yet'} must be ${seen.expect}: ${describeExchange(e)}`);
    for (const c of seen.checks) lines.push(`${c.ok ? 'ok     ' : 'not yet'} ${c.what}: ${c.evidence}`);
  }
  return { fixed, lines };
}

interface Live {
  scenario: LabScenario;
  ctx: ScenarioContext;
  nginx: StartedNginxContainer;
  stop: () => Promise<void>;
  /** The fault as last applied (a reset applies it again). */
  faulted: { broken: BrokenScenario };
}

async function control(req: IncomingMessage, res: ServerResponse, token: string, live: Live): Promise<void> {
  const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(mask(JSON.stringify(body)));
  if (req.method !== 'POST' || req.headers['x-lab-token'] !== token) return void reply(403, { error: 'forbidden' });
  try {
    if (req.url === '/check') return void reply(200, await checkLab(live.faulted.broken));
    if (req.url === '/reset') {
      live.faulted.broken = await breakStack(live.scenario, live.ctx);
      const lines = faultLines(live.faulted.broken);
      await writeWorkspace(live.scenario.id, live.nginx);
      return void reply(200, { lines: [...lines, 'the workspace file holds the broken config again'] });
    }
    if (req.url === '/down') {
      reply(200, { lines: ['stopping'] });
      return void (await live.stop());
    }
    reply(404, { error: `unknown action ${req.url}` });
  } catch (err) {
    reply(500, { error: err instanceof Error ? err.message : String(err) });
  }
}
