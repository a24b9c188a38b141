import { defineScenario } from '../../core/define.ts';
import { NOT_IN_GUIDE } from '../../core/guide-sections.ts';
import { check, prerequisite } from '../../core/probes.ts';
import type { AnyScenario, Check, Remedy, ScenarioContext, ScenarioInfo } from '../../core/types.ts';
import { record, type Exchange } from '../../parts/client/exchange.ts';
import type { StackSpec } from '../../parts/stack/auth-stack.ts';
import { QUEUE_TWO_WORKERS } from '../stacks.ts';
import { judgeRace, tryLabel } from './race-tally.ts';
import { connectCredential, deployOAuth2Call, OAUTH2_STACK, type OAuth2Call, oauthServer, runApiCall, waitPastExpiry } from './support.ts';

/** n8n in queue mode with two workers on Redis, each running one execution at a time, beside the authorization server (a stack env-access shares). */
const OAUTH2_QUEUE_STACK = QUEUE_TWO_WORKERS;

/** What n8n logs about a refresh (the request helper's debug lines, 2.x's lock warning), and which worker started which execution. */
const REFRESH_LINE = /refresh lock|expired\. (Revalidating|Should revalidate)|has been renewed|needs to be reconnected|started execution/i;

/** Every n8n process of the stack (main and workers), with a log mark taken now. */
function n8nLogMarks(ctx: ScenarioContext) {
  return [{ name: 'n8n', logs: ctx.n8n.container.logLines }, ...ctx.stack.workers.map((w, i) => ({ name: `worker ${i + 1}`, logs: w.logLines }))].map((p) => ({
    ...p,
    mark: p.logs.mark(),
  }));
}

/** n8n's refresh lines since the marks, each with the process that wrote it: shown beside the executions. */
function n8nRefreshLines(label: string, marks: ReturnType<typeof n8nLogMarks>): Exchange {
  const lines = marks.flatMap((p) =>
    p.logs
      .since(p.mark)
      .filter((l) => REFRESH_LINE.test(l))
      .map((l) => `${p.name}: ${l.slice(0, 300)}`),
  );
  return record({
    label: `${label}: n8n's log lines about the refresh (main and workers)`,
    via: 'client',
    request: { method: 'GET', url: 'docker logs', headers: [] },
    response: { status: 200, body: lines.join('\n') || '(none)' },
    outcome: 'other',
    context: true,
  });
}

/** One try: a new grant (after the first), the access token waited out, two executions at once. */
async function raceTry(ctx: ScenarioContext, call: OAuth2Call, n: number, of: number): Promise<Exchange[]> {
  if (n > 1) {
    const connected = await connectCredential(ctx, call.credentialId);
    if (!connected.ok) throw new Error(`reconnecting the credential for try ${n} failed: ${connected.evidence}`);
  }
  await waitPastExpiry(ctx);
  const marks = n8nLogMarks(ctx);
  const run = await runApiCall(ctx, call, tryLabel(n, of), 2);
  return [...run, n8nRefreshLines(tryLabel(n, of), marks)];
}

/** The lock's fix: a token endpoint that answers within the lock wait, and two executions at once again (the lock serialises them). */
const fastTokenEndpoint: Remedy<OAuth2Call> = {
  name: 'a token endpoint that answers within the lock wait (0.5 s): two workers at once again',
  source: 'correct',
  apply: async (ctx) => {
    const now = await oauthServer(ctx).configure({ tokenDelayMs: 500 });
    return [check('the token endpoint answers after 0.5 s', now.tokenDelayMs === 500, JSON.stringify(now))];
  },
  probe: async (ctx, call) => raceTry(ctx, call, 2, 2),
};

/** The race's fix: one execution after the other, over a new grant (the second finds the token the first stored). */
function oneAtATime(tokenDelayMs: number): Remedy<OAuth2Call> {
  return {
    name: 'run the executions one at a time: the second finds the token the first refreshed and stored',
    source: 'correct',
    apply: async (ctx) => {
      await oauthServer(ctx).configure({ tokenDelayMs });
      return [];
    },
    probe: async (ctx, call) => {
      const connected = await connectCredential(ctx, call.credentialId);
      if (!connected.ok) throw new Error(`reconnecting the credential failed: ${connected.evidence}`);
      await waitPastExpiry(ctx);
      const first = await runApiCall(ctx, call, 'after a new grant, the first execution alone');
      return [...first, ...(await runApiCall(ctx, call, 'then the second'))];
    },
  };
}

type RaceScenario = Omit<ScenarioInfo, 'doctorBlind' | 'predicts' | 'judge' | 'stack'> & {
  stack: StackSpec;
  tries: number;
  /** How long the token endpoint waits before answering: long enough for both refreshes to overlap. */
  tokenDelayMs: number;
  /** What the version must have for the scenario to exist (2.x's refresh lock). */
  needs?: (ctx: ScenarioContext) => Promise<Check>;
  remedies: Remedy<OAuth2Call>[];
};

function raceScenario({ tries, tokenDelayMs, needs, remedies, ...info }: RaceScenario): AnyScenario {
  return defineScenario<OAuth2Call>({
    ...info,
    predicts: { outcome: 'other', says: 'invalid_grant' },
    judge: judgeRace,
    fault: async (ctx) => {
      const has = needs ? [await needs(ctx)] : [];
      const { proof, state } = await deployOAuth2Call(ctx, { expiredStatus: 401, tokenDelayMs });
      const workers = ctx.stack.workers.length;
      const queue = info.stack.queue ? [check('n8n runs in queue mode with two workers', workers === 2, `${workers} worker(s)`)] : [];
      return { proof: [...has, ...proof, ...queue, check(`the token endpoint answers after ${tokenDelayMs} ms`, true, `tokenDelayMs ${tokenDelayMs}`)], state };
    },
    symptom: async (ctx, call) => {
      const out: Exchange[] = [];
      for (let n = 1; n <= tries; n++) out.push(...(await raceTry(ctx, call, n, tries)));
      return out;
    },
    remedies,
    doctorBlind:
      'a lost race leaves a failed execution the doctor names as oauth2-refresh-refused, like a revoked grant: from outside, one execution does not show the other that used the refresh token first',
  });
}

const RACE_CLAIM =
  'users: "two workflows using the same OAuth2 credential at once: one fails and the credential must be reconnected" (a rotating refresh token used twice: invalid_grant)';
const RACE_FIX = 'n8n 2.x serialises refreshes per credential (a lock); else run them one at a time';
/** Few tries: each waits out an access token (5 s); the count is in every headline. */
const RACE_TRIES = 5;

/** 2.x's refresh lock is in n8n's OAuth2 request helper: without it there is no lock to time out. */
async function hasRefreshLock(ctx: ScenarioContext): Promise<Check> {
  const { output } = await ctx.n8n.container.exec([
    'sh',
    '-c',
    'grep -rl "Could not acquire refresh lock" "$(dirname "$(find /usr/local/lib/n8n -path "*n8n-core/package.json" | head -1)")/dist" | head -1',
  ]);
  return prerequisite(
    "n8n's OAuth2 request helper has the refresh lock (n8n 2.x)",
    output.trim() !== '',
    output.trim() || 'no "Could not acquire refresh lock" in n8n-core',
  );
}

/** The two races of two executions at once (one n8n, two workers): the token endpoint answers after 0.5 s so that both refreshes overlap. */
const TWO_AT_ONCE: Pick<RaceScenario, 'guide' | 'tries' | 'tokenDelayMs' | 'remedies'> = {
  guide: { section: NOT_IN_GUIDE, claim: RACE_CLAIM, fix: RACE_FIX },
  tries: RACE_TRIES,
  tokenDelayMs: 500,
  remedies: [oneAtATime(500)],
};

export const raceScenarios: AnyScenario[] = [
  raceScenario({
    id: 'oauth2.refresh-race-two-executions',
    title: 'two executions refreshing the same rotating refresh token at once: one loses (invalid_grant) without a refresh lock',
    stack: OAUTH2_STACK,
    ...TWO_AT_ONCE,
  }),
  raceScenario({
    id: 'oauth2.refresh-race-two-workers',
    title: 'two queue workers refreshing the same rotating refresh token at once: one loses (invalid_grant) without a refresh lock',
    stack: OAUTH2_QUEUE_STACK,
    ...TWO_AT_ONCE,
  }),
  raceScenario({
    id: 'oauth2.refresh-lock-timeout',
    title: "two queue workers and a token endpoint slower than the refresh lock's 10 s: the second refreshes without the lock and loses",
    guide: {
      section: NOT_IN_GUIDE,
      claim:
        'n8n 2.x: "Could not acquire refresh lock ... refreshing without cross-process coordination" after 10 s, and the rotating refresh token is used twice',
      fix: 'a token endpoint that answers within the lock wait (10 s)',
    },
    stack: OAUTH2_QUEUE_STACK,
    tries: 1,
    tokenDelayMs: 12_000,
    needs: hasRefreshLock,
    remedies: [fastTokenEndpoint],
  }),
];
