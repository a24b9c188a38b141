import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AbstractStartedContainer } from 'testcontainers';
import { parse } from 'dotenv';
import type { ScenarioContext } from '../../core/types.ts';
import { NGINX_SITE_PATH } from '../../parts/stack/nginx-container.ts';
import type { StartedReverseProxy } from '../../parts/stack/reverse-proxy.ts';
import type { Lab } from './lab-catalogue.ts';
import { labDir, type LabState } from './lab-state.ts';
import { withoutComments } from './learner-files.ts';
import { TOKEN_FILE } from './handed-files.ts';
import { TYPED_FILE, VISITOR_FILE } from './lab-clients.ts';

export type Workspace = NonNullable<LabState['workspace']>;
/** A proxy as the lab reaches it: the proxy, and its container (for `docker cp` and `exec`). */
export type LabProxy = StartedReverseProxy & Pick<AbstractStartedContainer, 'exec' | 'getName'>;

/** The name `docker` commands take (the engine reports it with a leading slash). */
export const containerName = (c: { getName(): string }) => c.getName().replace(/^\//, '');

const PROXY_FILES = {
  nginx: { path: NGINX_SITE_PATH, file: 'nginx/authlab.conf', reload: ['nginx', '-s', 'reload'] },
  caddy: { path: '/etc/caddy/Caddyfile', file: 'caddy/Caddyfile', reload: ['caddy', 'reload', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile'] },
} as const;

const ENCRYPTION_KEY = 'N8N_ENCRYPTION_KEY';
const FAKETIME = 'FAKETIME';

async function writeLearnerFile(id: string, name: string, content: string): Promise<string> {
  const file = join(labDir(id), name);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, content, { mode: 0o600 });
  return file;
}

const envText = (vars: Record<string, string>) =>
  Object.entries(vars)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');

/** n8n's environment as the stack last started it (its encryption key included; the failed start's where n8n is down): what a compose `.env` holds. */
function n8nEnvOf(ctx: ScenarioContext): Record<string, string> {
  const s = ctx.stack.primaryFailure?.settings ?? ctx.n8n.container.settings;
  return { ...(s.encryptionKey ? { [ENCRYPTION_KEY]: s.encryptionKey } : {}), ...s.env };
}

/** Writes what the learner edits, from the live stack, and says how an edit goes live. */
export async function writeWorkspace(lab: Lab, ctx: ScenarioContext, proxy: LabProxy | undefined): Promise<Workspace> {
  const id = lab.id;
  const apply = `authlab lab ${id} --apply`;
  switch (lab.lab.kind) {
    case 'proxy-config': {
      const p = PROXY_FILES[lab.lab.proxy];
      if (!proxy) throw new Error(`${id} needs ${lab.lab.proxy} in its stack`);
      const file = await writeLearnerFile(id, p.file, withoutComments((await proxy.exec(['cat', p.path])).output));
      const name = containerName(proxy);
      return {
        what: `the config ${lab.lab.proxy === 'nginx' ? 'NGINX' : 'Caddy'} runs`,
        files: [file],
        apply: [`docker cp ${file} ${name}:${p.path}`, `docker exec ${name} ${p.reload.join(' ')}`],
      };
    }
    case 'env':
      return { what: "n8n's environment (its .env)", files: [await writeLearnerFile(id, 'n8n.env', envText(n8nEnvOf(ctx)))], apply: [apply] };
    case 'clock': {
      const offset = ctx.n8n.container.settings.clockOffset ?? '';
      return {
        what: "n8n's clock offset (libfaketime's FAKETIME; empty: the host's time)",
        files: [await writeLearnerFile(id, 'clock.env', `${FAKETIME}=${offset}\n`)],
        apply: [apply],
      };
    }
    case 'credential': {
      const login = await ownerLogin(id, ctx);
      return {
        what: `the credential, in n8n's editor (${ctx.n8n.container.getBaseUrl()}/home/credentials; sign in with ${login}); n8n saves an edit`,
        files: [login],
        apply: [],
      };
    }
    case 'setting': {
      const login = await ownerLogin(id, ctx);
      return {
        what: `n8n's settings, in its editor (${ctx.n8n.container.getBaseUrl()}/settings; sign in with ${login}); n8n saves an edit`,
        files: [login],
        apply: [],
      };
    }
    case 'client': {
      const symptom = lab.lab.symptom;
      if ('trigger' in symptom)
        return {
          what: `what the visitor sends in its Authorization header (read from the file on each visit); the trigger's credential, in n8n's editor: ${ctx.n8n.container.getBaseUrl()}/home/credentials (sign in with ${await ownerLogin(id, ctx)})`,
          files: [join(labDir(id), VISITOR_FILE)],
          apply: [],
        };
      if ('signIn' in symptom)
        return { what: 'the code the member types at sign-in (read from the file on each sign-in)', files: [join(labDir(id), TYPED_FILE)], apply: [] };
      return {
        what: `what the MCP client sends in its Authorization header (the client reads the file on each call); n8n's editor, for what n8n holds: ${ctx.n8n.container.getBaseUrl()} (sign in with ${await ownerLogin(id, ctx)})`,
        files: [join(labDir(id), TOKEN_FILE)],
        apply: [],
      };
    }
  }
}

/** The owner's login, for a learner who edits something in n8n's editor (mode 600). */
const ownerLogin = (id: string, ctx: ScenarioContext) =>
  writeLearnerFile(id, 'owner.json', `${JSON.stringify({ email: ctx.n8n.owner.email, password: ctx.n8n.owner.password }, null, 2)}\n`);

/** Makes the learner's edit of an env or clock file live: n8n recreated over its data with it. */
export async function applyWorkspace(lab: Lab, ctx: ScenarioContext, workspace: Workspace): Promise<string[]> {
  if (lab.lab.kind === 'proxy-config') return [`nothing done: the site goes live with the printed commands (${workspace.apply.join('; ')})`];
  if (lab.lab.kind === 'credential' || lab.lab.kind === 'setting')
    return [`nothing to apply: n8n saves ${lab.lab.kind === 'credential' ? "a credential's edit" : 'a setting'}`];
  if (lab.lab.kind === 'client') return [`nothing to apply: the client reads ${workspace.files[0]} on each call`];
  const file = workspace.files[0]!;
  const vars = parse(await readFile(file, 'utf8'));
  if (lab.lab.kind === 'clock') {
    const offset = vars[FAKETIME]?.trim() || null;
    await ctx.stack.replacePrimary({ clockOffset: offset });
    return [`n8n recreated with ${offset ? `its clock ${offset}` : "the host's time"}`];
  }
  const before = n8nEnvOf(ctx);
  const { [ENCRYPTION_KEY]: key, ...env } = vars;
  const unset = Object.keys(before).filter((name) => !(name in vars) && name !== ENCRYPTION_KEY);
  const failed = await ctx.stack.tryStartPrimary({ env, unset, encryptionKey: key || null });
  return failed ? [`n8n did not start with ${file}: ${failed.message.split('\n')[0]}`] : [`n8n recreated with ${file} (${Object.keys(vars).length} variables)`];
}
