import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { appendFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExchange, judgedOf, type Exchange } from '../../parts/client/exchange.ts';
import type { ImageOptions } from '../../parts/images/options.ts';
import { n8nImagesOf, type N8nImage } from '../../parts/images/n8n-image.ts';
import { probeRemedy, scenarioContext } from '../../engine/runner.ts';
import { resolvingStackPool } from '../../engine/plan.ts';
import type { BrokenScenario, Check, ScenarioContext } from '../../core/types.ts';
import { mask } from '../../base/secrets.ts';
import { cleanupOnSignals, interrupted } from '../../docker/cleanup.ts';
import { docker } from '../../docker/docker.ts';
import { PORT_TAKEN_BY_ENGINE } from '../../parts/stack/host-port.ts';
import { RUN_ID } from '../../docker/labels.ts';
import { labDir, removeLabDir, writeLabState, type LabState } from './lab-state.ts';
import { applyWorkspace, containerName, type LabProxy, type Workspace, writeWorkspace } from './lab-workspace.ts';
import { labFix, labScenario, type Lab, symptomCommand } from './labs.ts';
import { StoppedN8n } from './stopped-n8n.ts';
import { checkMcpClient, type HandedFiles, writeHandedFiles } from './handed-files.ts';
import { asClientLeftIt, checkTypedCode, untilWebhookServed } from './lab-clients.ts';

/** What `--check` answers: fixed or not, and what each probe got. */
export interface LabCheck {
  fixed: boolean;
  lines: string[];
}

/**
 * The lab's own process (started detached by `authlab lab <id>`): it boots the stack, breaks it,
 * writes the learner's workspace, and then serves --check, --apply, --reset and --down on a loopback port
 * until told to stop. Its containers carry its pid, so a sweep removes them once it is gone.
 */
export async function serveLab(id: string, version: string, images: ImageOptions, opts: { proxyPort?: number } = {}): Promise<void> {
  const scenario = labScenario(id);
  const { log, hidingFault } = learnerLog(id);
  const base: LabState = { id, version, status: 'starting', pid: process.pid, runId: RUN_ID };
  await writeLabState(base);
  cleanupOnSignals(log);
  await docker(); // its client gated before the first start (see engine-gate.ts)
  const proxyKind = scenario.lab.kind === 'proxy-config' ? scenario.lab.proxy : undefined;
  // The version's image, had first thing in the try: a failure is the lab's state.
  const n8n: N8nImage[] = [];
  const pool = resolvingStackPool(n8n, images, log, opts.proxyPort && proxyKind ? { proxyHostPorts: { [proxyKind]: opts.proxyPort } } : {});
  try {
    // The version came checked against the registry from `authlab lab` (resolveN8nVersion): its image only.
    n8n.push(...(await n8nImagesOf([version], images)));
    const stack = await pool.acquire(version, scenario);
    const ctx = scenarioContext(stack, await mkdtemp(join(tmpdir(), `authlab-lab-${id}-`)), log);
    const proxy = proxyKind ? (stack.proxy?.servers[proxyKind] as LabProxy | undefined) : undefined;
    const faulted = { broken: await hidingFault(() => breakStack(scenario, ctx)) };
    const handed = await writeHandedFiles(scenario, ctx, faulted.broken);
    const stopped = new StoppedN8n();
    await stopped.follow(ctx);
    const keyFile = join(labDir(id), 'api-key');
    await writeFile(keyFile, ctx.n8n.apiKey.rawApiKey, { mode: 0o600 });
    const workspace = await writeWorkspace(scenario, ctx, proxy);
    const exchanges = await faulted.broken.symptom();
    // Where this version shrugs the fault off, there is nothing to diagnose: say so rather than start a lab that is not broken.
    if ((await checkLab(scenario, faulted.broken, ctx, handed)).fixed)
      throw new Error(`on n8n ${version} the fault breaks nothing (the probes of the fix already pass): nothing to diagnose here; try another version (--n8n)`);
    const token = randomBytes(16).toString('hex');
    const server = createServer(
      (req, res) => void control(req, res, token, { scenario, ctx, proxy, workspace, stop, faulted, republish, stopped, handed, hidingFault }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    async function stop(): Promise<void> {
      server.close();
      await stopped.remove();
      await pool.stopAll();
      await removeLabDir(id);
      process.exit(0);
    }
    const ready: LabState = {
      ...base,
      status: 'ready',
      control: { port, token },
      n8nUrl: ctx.n8n.container.getBaseUrl(),
      ...(proxy ? { proxyUrl: proxy.getBaseUrl(), proxyContainer: containerName(proxy) } : {}),
      n8nContainer: stopped.name ?? containerName(ctx.n8n.container),
      workflowUrl: workflowUrlOf(exchanges),
      callerFile: await writeCallerValue(scenario, faulted.broken),
      ...definedOf(handed),
      keyFile,
      workspace,
      symptom: [...faultLines(faulted.broken), ...exchanges.map((e) => describeExchange(e))],
    };
    /** n8n recreated (--apply, a --check on a fresh n8n) or the fault applied again: its new address and container (or its stopped one) and the files handed, in the state the commands read. */
    async function republish(): Promise<LabState> {
      const n8nUrl = ctx.n8n.container.getBaseUrl();
      const workflowUrl = ready.workflowUrl?.replace(ready.n8nUrl!, n8nUrl);
      Object.assign(ready, definedOf(handed), { n8nUrl, n8nContainer: stopped.name ?? containerName(ctx.n8n.container), workflowUrl });
      await writeLabState(ready);
      return ready;
    }
    await writeLabState(ready);
    log(`lab ${id} ready on n8n ${version}`);
  } catch (err) {
    if (interrupted()) return; // the signal's clean-up removes the stack and ends the process
    const message = err instanceof Error ? err.message : String(err);
    const error =
      opts.proxyPort && PORT_TAKEN_BY_ENGINE.test(message)
        ? `port ${opts.proxyPort} on 127.0.0.1 was taken before ${proxyKind === 'caddy' ? 'Caddy' : 'NGINX'} could publish it; pick another with --port`
        : message;
    await writeLabState({ ...base, status: 'failed', error: mask(error) });
    await pool.stopAll();
    process.exit(1);
  }
}

/**
 * The lab process's log, which the learner sees while the lab starts: every line but those written
 * while the fault applies (its steps and checks name the fault, the exercise's answer), which go to
 * fault.log in the lab's folder, for the trainer.
 */
function learnerLog(id: string): { log: (line: string) => void; hidingFault: <T>(step: () => Promise<T>) => Promise<T> } {
  let hidden = false;
  const log = (line: string) => {
    if (hidden) appendFileSync(join(labDir(id), 'fault.log'), `${mask(line)}\n`, { mode: 0o600 });
    else process.stdout.write(`${mask(line)}\n`);
  };
  const hidingFault = async <T>(step: () => Promise<T>): Promise<T> => {
    log(`breaking the stack (what breaks is the exercise; the steps are in ${join(labDir(id), 'fault.log')}, for the trainer)`);
    hidden = true;
    try {
      return await step();
    } finally {
      hidden = false;
    }
  };
  return { log, hidingFault };
}

/** Applies the scenario's fault; throws unless its proof holds. */
async function breakStack(scenario: Lab, ctx: ScenarioContext): Promise<BrokenScenario> {
  const broken = await scenario.applyFault(ctx);
  const failed = broken.proof.filter((c) => !c.ok);
  if (failed.length) throw new Error(`the fault did not apply: ${failed.map((c) => `${c.what}: ${c.evidence}`).join('; ')}`);
  for (const c of broken.proof) ctx.progress(`fault applied: ${c.what}`);
  return broken;
}

/**
 * What the learner is told of the fault: that it is in place, checked, and not what it is (each check
 * names the fault, which is the exercise's answer; they are in fault.log, for the trainer).
 */
const faultLines = (broken: BrokenScenario) => [`the fault is in place (${broken.proof.length} check${broken.proof.length === 1 ? '' : 's'} passed); find it`];

/** Only the fields that have a value: one left undefined would hide the same field set before it. */
const definedOf = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The URL that starts the workflow of a symptom that is a workflow run (the first webhook call). */
function workflowUrlOf(exchanges: Exchange[]): string | undefined {
  return exchanges.find((e) => /\/webhook(-test)?\//.test(e.request.url))?.request.url;
}

/**
 * Where the lab's webhook checks its caller's value: the value the symptom's call sent (as the
 * doctor is handed it; the recorded exchanges hold it masked), in a file (mode 600) the printed command reads.
 */
async function writeCallerValue(lab: Lab, broken: BrokenScenario): Promise<string | undefined> {
  const header = lab.lab.composeWorkflow?.caller?.header;
  const value = header && broken.doctorInput('broken').webhook?.headers?.find(([name]) => name === header)?.[1];
  if (!value) return undefined;
  const file = join(labDir(lab.id), 'caller-value');
  await writeFile(file, value, { mode: 0o600 });
  return file;
}

/** Re-runs the probes of the fix the catalogue verified, against the stack as the learner left it. */
async function checkLab(lab: Lab, broken: BrokenScenario, ctx: ScenarioContext, handed: HandedFiles): Promise<LabCheck> {
  // The fix is what the lab's MCP client sends or what n8n does with it: the client as the learner left it.
  if ('mcp' in lab.lab.symptom) return checkMcpClient(ctx, handed);
  const typed = await checkTypedCode(lab, ctx, broken, handed);
  if (typed) return typed;
  return asClientLeftIt(lab, broken, handed, () => probeFix(lab, broken, ctx));
}

/** The probes of the lab's fix against the live stack (on a fresh n8n first where the symptom shows once per process). */
async function probeFix(lab: Lab, broken: BrokenScenario, ctx: ScenarioContext): Promise<LabCheck> {
  const lines: string[] = [];
  if (lab.lab.checkOnFreshN8n && !ctx.stack.primaryFailure) {
    await ctx.stack.replacePrimary({}, { signIn: false });
    lines.push(`n8n started again with the environment it runs with, not signed in to (${lab.lab.checkOnFreshN8n})`);
  }
  // The probes judge what the renewal made (a new invitation's link): without it, nothing new to judge.
  const renewed = await renewLines(lab, broken, ctx);
  lines.push(...renewed.lines);
  if (!renewed.ok) return { fixed: false, lines };
  let fixed = true;
  for (const remedy of labFix(lab, broken.remedies)) {
    const seen = await probeRemedy(remedy, []);
    fixed &&= seen.resolved;
    for (const e of judgedOf(seen.exchanges)) lines.push(`${e.outcome === seen.expect ? 'ok     ' : 'not yet'} must be ${seen.expect}: ${describeExchange(e)}`);
    lines.push(...seen.checks.map(checkLine));
  }
  return { fixed, lines };
}

/** A check as --check prints it. */
const checkLine = (c: Check) => `${c.ok ? 'ok     ' : 'not yet'} ${c.what}: ${c.evidence}`;

/** What n8n does anew before the probes or after --apply (the lab's renew), as lines: each check, or the error that stopped it. */
async function renewLines(lab: Lab, broken: BrokenScenario, ctx: ScenarioContext): Promise<{ ok: boolean; lines: string[] }> {
  const renew = lab.lab.renew;
  if (!renew) return { ok: true, lines: [] };
  try {
    const checks = await renew.run(ctx, broken);
    return { ok: checks.every((c) => c.ok), lines: checks.map(checkLine) };
  } catch (err) {
    return { ok: false, lines: [`not yet ${renew.what}: ${err instanceof Error ? err.message : String(err)}`] };
  }
}

interface Live {
  scenario: Lab;
  ctx: ScenarioContext;
  proxy: LabProxy | undefined;
  workspace: Workspace;
  stop: () => Promise<void>;
  /** The fault as last applied (a reset applies it again). */
  faulted: { broken: BrokenScenario };
  republish: () => Promise<LabState>;
  /** n8n's stopped container while the fault (or the learner's edit) keeps n8n from starting. */
  stopped: StoppedN8n;
  /** What the learner was handed besides the key (the MCP client's token file, a given secret). */
  handed: HandedFiles;
  /** Runs a step whose log lines name the fault away from the learner's screen (learnerLog). */
  hidingFault: <T>(step: () => Promise<T>) => Promise<T>;
}

async function control(req: IncomingMessage, res: ServerResponse, token: string, live: Live): Promise<void> {
  const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(mask(JSON.stringify(body)));
  if (req.method !== 'POST' || req.headers['x-lab-token'] !== token) return void reply(403, { error: 'forbidden' });
  try {
    if (req.url === '/check') {
      const checked = await checkLab(live.scenario, live.faulted.broken, live.ctx, live.handed);
      await live.republish();
      return void reply(200, checked);
    }
    if (req.url === '/apply') {
      const lines = await applyWorkspace(live.scenario, live.ctx, live.workspace);
      await untilWebhookServed(live.scenario, live.ctx, live.faulted.broken);
      if (!live.ctx.stack.primaryFailure) lines.push(...(await renewLines(live.scenario, live.faulted.broken, live.ctx)).lines);
      await live.stopped.follow(live.ctx);
      const state = await live.republish();
      // n8n's container is a new one: the command to see the symptom again names it.
      if (live.scenario.lab.kind === 'env' || live.scenario.lab.kind === 'clock') lines.push(`the symptom again: ${symptomCommand(live.scenario, state)}`);
      return void reply(200, { lines });
    }
    if (req.url === '/reset') {
      await live.scenario.lab.beforeReset?.(live.ctx, live.faulted.broken);
      live.faulted.broken = await live.hidingFault(() => breakStack(live.scenario, live.ctx));
      const lines = faultLines(live.faulted.broken);
      Object.assign(live.handed, await writeHandedFiles(live.scenario, live.ctx, live.faulted.broken));
      await writeWorkspace(live.scenario, live.ctx, live.proxy);
      await live.stopped.follow(live.ctx);
      await live.republish();
      return void reply(200, { lines: [...lines, 'the workspace holds the broken state again'] });
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
