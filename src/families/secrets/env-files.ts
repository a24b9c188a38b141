import { check, n8nEnv } from '../../core/probes.ts';
import { defineScenario } from '../../core/define.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { fingerprint } from '../../base/secrets.ts';
import { EnvFile } from '../../parts/stack/env-file.ts';
import { N8N_DATA_DIR } from '../../parts/stack/n8n-container.ts';
import { JWT_SECRET, keepKey, keptKeyRemedy, newJwtSecret, SECRET_CHANGED, sendKept, type KeptKey } from './kept-key.ts';
import { SQLITE_STACK } from './support.ts';

/** Where n8n's process runs (the image's WORKDIR): n8n loads a `.env` from here at every start. */
const N8N_WORKDIR_ENV = '/home/node/.env';
/** Where the guide mounts the .env: inside the data folder, which nothing reads a .env from. */
const GUIDE_ENV_PATH = `${N8N_DATA_DIR}/.env`;

/** The project's `.env` (fixtures/env/n8n) with this JWT secret, written on the host. */
function envFileOf(ctx: ScenarioContext, secret: string): Promise<EnvFile> {
  return EnvFile.fromFixture('n8n', ctx.workdir, { jwtSecret: secret });
}

/** n8n recreated with the .env passed by compose (`env_file:`). */
async function recreateWithEnvFile(ctx: ScenarioContext, secret: string): Promise<void> {
  await ctx.stack.replacePrimary({ env: await (await envFileOf(ctx, secret)).vars() });
}

/** n8n recreated with the .env mounted as a file at `path`. */
async function recreateWithEnvAt(ctx: ScenarioContext, secret: string, path: string): Promise<void> {
  await ctx.stack.replacePrimary({ files: [{ path, content: await (await envFileOf(ctx, secret)).text() }] });
}

/** The .env in n8n's working folder rewritten in place, then `docker restart`. */
async function rewriteDotenvAndRestart(ctx: ScenarioContext, secret: string): Promise<void> {
  await ctx.n8n.container.copyContentToContainer([{ content: await (await envFileOf(ctx, secret)).text(), target: N8N_WORKDIR_ENV, mode: 0o644 }]);
  await ctx.n8n.container.restart();
}

export const envNotMounted = defineScenario<KeptKey>({
  id: 'secrets.env-file-not-mounted',
  title: 'after docker compose up without the .env, keys signed under its settings get 401; mounting it at /home/node/.n8n/.env fixes it',
  guide: { section: '7', claim: '401 after docker compose up: the .env file is not mounted', fix: 'add volumes: - ./n8n/.env:/home/node/.n8n/.env' },
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const secret = newJwtSecret();
    const env = await envFileOf(ctx, secret);
    ctx.progress('creating n8n with the .env (env_file:) and a key under its JWT secret');
    await ctx.stack.replacePrimary({ env: await env.vars() });
    const { keptKey, worked } = await keepKey(ctx, 'issued-under-the-env-file', 'while n8n had the .env');
    ctx.progress('recreating n8n without the .env');
    await ctx.stack.replacePrimary({ unset: Object.keys(await env.vars()) });
    return {
      proof: [worked, check('n8n now runs without the .env settings', (await n8nEnv(ctx, JWT_SECRET)) === '', `${JWT_SECRET} unset`)],
      state: { secret, keptKey },
    };
  },
  symptom: async (ctx, state) => [await sendKept(ctx, state, 'the key after compose up without the .env')],
  remedies: [
    keptKeyRemedy(
      'mount the .env at /home/node/.n8n/.env (the guide) and recreate n8n',
      'guide',
      (ctx, { secret }) => recreateWithEnvAt(ctx, secret, GUIDE_ENV_PATH),
      'the key, .env at /home/node/.n8n/.env',
    ),
    keptKeyRemedy(
      "mount the .env at /home/node/.env (n8n's working folder, where it loads a .env from) and recreate n8n",
      'tried',
      (ctx, { secret }) => recreateWithEnvAt(ctx, secret, N8N_WORKDIR_ENV),
      'the key, .env at /home/node/.env',
    ),
    keptKeyRemedy(
      'pass the .env with env_file: and recreate n8n',
      'correct',
      (ctx, { secret }) => recreateWithEnvFile(ctx, secret),
      'the key, .env passed with env_file:',
    ),
  ],
  doctor: SECRET_CHANGED,
});

/** Creates n8n with the .env passed by compose (env_file:), keeps a key made under it, then puts a bad value in the .env and recreates n8n. */
async function badEditRecreated(ctx: ScenarioContext): Promise<{ proof: Check[]; state: KeptKey }> {
  const secret = newJwtSecret();
  const env = await envFileOf(ctx, secret);
  await ctx.stack.replacePrimary({ env: await env.vars() });
  const { keptKey, worked } = await keepKey(ctx, 'issued-under-the-good-env', 'with the good .env');
  ctx.progress('a bad edit of the .env, and n8n recreated with it');
  const bad = newJwtSecret();
  await env.set(JWT_SECRET, bad);
  await ctx.stack.replacePrimary({ env: await env.vars() });
  return {
    proof: [worked, check('n8n runs with the bad value from the .env', (await n8nEnv(ctx, JWT_SECRET)) === bad, `${JWT_SECRET} ${fingerprint(bad)}`)],
    state: { secret, keptKey },
  };
}

/** The guide's Quick fix, for both places a .env lives. */
const RESTART_CLAIM = {
  section: 'Quick fix',
  claim: 'restart n8n after any change to the .env file; the error should disappear',
  fix: 'restart n8n (docker restart n8n)',
} as const;

export const envEditRestart = defineScenario<KeptKey>({
  id: 'secrets.env-edit-restart',
  title: 'after fixing the .env (env_file:), restarting n8n makes the error disappear',
  guide: RESTART_CLAIM,
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: badEditRecreated,
  symptom: async (ctx, state) => [await sendKept(ctx, state, 'the key after the bad edit')],
  remedies: [
    keptKeyRemedy(
      'fix the .env and restart n8n (docker restart n8n)',
      'guide',
      async (ctx, { secret }) => {
        await envFileOf(ctx, secret); // the .env, fixed on the host
        ctx.progress('docker restart n8n');
        await ctx.n8n.container.restart();
        const seen = await n8nEnv(ctx, JWT_SECRET);
        return [
          check(
            'the restarted container still has the env it was created with',
            seen !== secret,
            `${JWT_SECRET} ${fingerprint(seen)} (the fixed .env has ${fingerprint(secret)})`,
          ),
        ];
      },
      'the key after docker restart',
    ),
    keptKeyRemedy(
      'fix the .env and recreate the container (docker compose up -d)',
      'correct',
      (ctx, { secret }) => recreateWithEnvFile(ctx, secret),
      'the key after docker compose up -d',
    ),
  ],
  doctor: SECRET_CHANGED,
});

export const dotenvRestart = defineScenario<KeptKey>({
  id: 'secrets.dotenv-restart',
  title: "after fixing a .env in n8n's working folder (/home/node/.env), restarting n8n makes the error disappear",
  guide: RESTART_CLAIM,
  predicts: { outcome: 'rejected' },
  stack: SQLITE_STACK,
  changesStack: true,
  fault: async (ctx) => {
    const secret = newJwtSecret();
    await recreateWithEnvAt(ctx, secret, N8N_WORKDIR_ENV);
    const { keptKey, worked } = await keepKey(ctx, 'issued-under-the-dotenv', 'with the good .env');
    ctx.progress('a bad edit of /home/node/.env, then docker restart');
    await rewriteDotenvAndRestart(ctx, newJwtSecret());
    return {
      proof: [
        worked,
        check(
          'n8n has no JWT secret in its container env (it reads the file)',
          (await n8nEnv(ctx, JWT_SECRET)) === '',
          `${JWT_SECRET} not in the container's env`,
        ),
      ],
      state: { secret, keptKey },
    };
  },
  symptom: async (ctx, state) => [await sendKept(ctx, state, 'the key after the bad edit and a restart')],
  remedies: [
    keptKeyRemedy(
      'fix /home/node/.env and restart n8n (docker restart n8n)',
      'guide',
      (ctx, { secret }) => rewriteDotenvAndRestart(ctx, secret),
      'the key after the fix and docker restart',
    ),
  ],
  doctor: SECRET_CHANGED,
});
