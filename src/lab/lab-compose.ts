import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Lab } from './lab-catalogue.ts';
import { hintLadder } from './lab-hints.ts';
import { symptomCommand, symptomPasses } from './labs.ts';
import { withoutComments } from './learner-files.ts';

export interface ComposeProject {
  dir: string;
  files: string[];
}

/** The proxy of a proxy-config lab in a compose project: its image, its config file and where it goes. */
const PROXIES = {
  nginx: { image: '${NGINX_IMAGE:-nginx:1.27}', file: 'nginx/authlab.conf', mount: '/etc/nginx/conf.d/default.conf', reload: 'nginx -s reload' },
  caddy: { image: '${CADDY_IMAGE:-caddy:2}', file: 'caddy/Caddyfile', mount: '/etc/caddy/Caddyfile', reload: 'caddy reload --config /etc/caddy/Caddyfile' },
} as const;

const proxyOf = (lab: Lab) => (lab.lab.kind === 'proxy-config' ? { service: lab.lab.proxy, ...PROXIES[lab.lab.proxy] } : undefined);

/** The placeholders the README's commands carry where a running lab has real names. */
const PLACEHOLDERS = {
  keyFile: 'api-key',
  n8nUrl: 'http://localhost:5678',
  proxyUrl: 'http://localhost:8080',
  proxyContainer: '$(docker compose ps -q proxy)',
  n8nContainer: '$(docker compose ps -q n8n)',
  workflowUrl: undefined,
};

/**
 * The lab as a docker compose project for people without this tool: n8n (and the proxy, for a
 * proxy lab) with the fault in the file the learner edits, a README with the symptom and the
 * hints. Secrets and the fault's env go to `.env` (mode 600), never into the compose file; no file
 * the learner edits says what is wrong.
 */
export async function writeLabCompose(lab: Lab, version: string, dir: string): Promise<ComposeProject> {
  const proxy = proxyOf(lab);
  const files: Record<string, string> = {
    'docker-compose.yml': composeFile(lab, version),
    ...(proxy && lab.lab.kind === 'proxy-config' ? { [proxy.file]: withoutComments(await lab.lab.faultyConfig()) } : {}),
    'README.md': readme(lab),
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  const env = { N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'), ...(lab.lab.kind === 'env' ? lab.lab.composeEnv : {}) };
  await writeFile(
    join(dir, '.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
    { mode: 0o600 },
  );
  return { dir, files: [...Object.keys(files), '.env'] };
}

function composeFile(lab: Lab, version: string): string {
  const proxy = proxyOf(lab);
  const env = Object.entries(lab.stack.env ?? {}).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`);
  const n8n = `services:
  n8n:
    image: \${N8N_IMAGE:-n8nio/n8n:${version}}
    env_file: .env
    environment:
      N8N_LOG_LEVEL: debug
      N8N_DIAGNOSTICS_ENABLED: "false"
      N8N_SECURE_COOKIE: "false"
${env.join('')}    ports:
      - "127.0.0.1:\${N8N_PORT:-5678}:5678"
    volumes:
      - n8n_data:/home/node/.n8n
`;
  const proxyService = proxy
    ? `  proxy:
    image: ${proxy.image}
    depends_on:
      - n8n
    ports:
      - "127.0.0.1:\${PROXY_PORT:-8080}:80"
    volumes:
      - ./${proxy.file}:${proxy.mount}:ro
`
    : '';
  return `${n8n}${proxyService}volumes:\n  n8n_data: {}\n`;
}

const indentedEnv = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `    ${k}=${v}\n`)
    .join('');

/** What the learner edits in the project, and how the edit goes live. */
function editSteps(lab: Lab): string {
  const proxy = proxyOf(lab);
  if (proxy) return `Edit \`${proxy.file}\`, then \`docker compose exec proxy ${proxy.reload}\`.`;
  if (lab.lab.kind === 'env') return 'Edit `.env`, then `docker compose up -d` (a restart keeps the old environment; up -d recreates n8n with the new one).';
  if (lab.lab.kind === 'clock') return "Bring n8n's clock back to true time (the host's clock, NTP), then restart n8n.";
  return "Edit the credential in n8n's editor (Credentials); n8n saves it, no restart needed.";
}

function readme(lab: Lab): string {
  const symptom = symptomCommand(lab, PLACEHOLDERS);
  const cannot = lab.lab.composeCannot ? `\n## What this project cannot show by itself\n\n${lab.lab.composeCannot}.\n` : '';
  return `# Lab: ${lab.title}

Guide section ${lab.guide.section}: "${lab.guide.claim}"

## Start

    docker compose up -d

Open http://localhost:5678, create the owner account, then Settings > n8n API > create an API key
and save it in a file \`api-key\` (mode 600).

## The symptom

    ${symptom}

${symptomPasses(lab) ? 'succeeds where it should not' : 'fails'}${lab.lab.kind === 'proxy-config' ? ', while the same request straight to http://localhost:5678 answers as it should' : ''}.
${lab.lab.composeNote ? `\n${lab.lab.composeNote}.\n` : ''}${lab.lab.kind === 'env' && lab.lab.composeThen ? `\n${indentedEnv(lab.lab.composeThen)}` : ''}${cannot}
## Fix it

${editSteps(lab)}

## Hints (read one at a time)

${hintLadder(lab, PLACEHOLDERS)
  .map((h, i) => `${i + 1}. ${h}`)
  .join('\n')}

## Clean up

    docker compose down -v
`;
}
