import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hintLadder, type LabScenario } from './labs.ts';

export interface ComposeProject {
  dir: string;
  files: string[];
}

/**
 * The lab as a docker compose project for people without this tool: n8n and NGINX with the broken
 * site config, the same env, a README with the symptom and the hints. The encryption key goes to
 * `.env` (mode 600), never into the compose file.
 */
export async function writeLabCompose(scenario: LabScenario, version: string, dir: string): Promise<ComposeProject> {
  await mkdir(join(dir, 'nginx'), { recursive: true });
  const keyFile = '<the file you saved your API key in>';
  const files: Record<string, string> = {
    'docker-compose.yml': composeFile(scenario, version),
    'nginx/authlab.conf': await scenario.lab.faultyNginxConfig(),
    'README.md': readme(
      scenario,
      hintLadder(scenario, {
        id: scenario.id,
        version,
        status: 'ready',
        pid: 0,
        runId: '',
        n8nUrl: 'http://localhost:5678',
        proxyUrl: 'http://localhost:8080',
        proxyContainer: '<the nginx container>',
        keyFile,
      }),
    ),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  await writeFile(join(dir, '.env'), `N8N_ENCRYPTION_KEY=${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  return { dir, files: [...Object.keys(files), '.env'] };
}

function composeFile(scenario: LabScenario, version: string): string {
  return `# n8n-authlab lab ${scenario.id}: ${scenario.title}
# Start: docker compose up -d; then follow README.md.
services:
  n8n:
    image: \${N8N_IMAGE:-n8nio/n8n:${version}}
    environment:
      N8N_ENCRYPTION_KEY: \${N8N_ENCRYPTION_KEY:?N8N_ENCRYPTION_KEY is set in .env}
      N8N_LOG_LEVEL: debug
      N8N_DIAGNOSTICS_ENABLED: "false"
      N8N_SECURE_COOKIE: "false"
${Object.entries(scenario.stack.env ?? {})
  .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`)
  .join('')}    ports:
      - "127.0.0.1:5678:5678"
    volumes:
      - n8n_data:/home/node/.n8n
  nginx:
    image: \${NGINX_IMAGE:-nginx:1.27}
    depends_on:
      - n8n
    ports:
      - "127.0.0.1:8080:80"
    volumes:
      # In place of the official image's default.conf, whose server_name localhost would win.
      - ./nginx/authlab.conf:/etc/nginx/conf.d/default.conf:ro
volumes:
  n8n_data: {}
`;
}

function readme(scenario: LabScenario, hints: string[]): string {
  return `# Lab: ${scenario.title}

Guide section ${scenario.guide.section}: "${scenario.guide.claim}"

## Start

    docker compose up -d

Open http://localhost:5678, create the owner account, then Settings > n8n API > create an API key
and save it in a file (for example \`api-key\`, mode 600).

## The symptom

    curl -s -H "X-N8N-API-KEY: $(cat api-key)" http://localhost:8080/api/v1/workflows

fails, while the same request to http://localhost:5678 works.

## Fix it

Edit \`nginx/authlab.conf\`, then \`docker compose exec nginx nginx -s reload\`. Fixed when the
request through port 8080 answers 200 (and, where the proxy injected a key, a request without a
key answers 401).

## Hints (read one at a time)

${hints.map((h, i) => `${i + 1}. ${h}`).join('\n')}

## Clean up

    docker compose down -v
`;
}
