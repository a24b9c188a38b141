import { describe, expect, test } from 'vitest';
import type { DeployCheckRun } from '../../src/features/check/run-check.ts';
import { toDeployCheckHtml } from '../../src/features/check/deploy-check-html.ts';
import { FIXTURE_SECRET } from '../support/ledger-fixtures.ts';

const failedRun: DeployCheckRun = {
  compose: 'deploy/docker-compose.yml',
  nginx: 'deploy/nginx.conf',
  proxy: { kind: 'nginx', source: 'deploy/nginx.conf', how: 'run' },
  service: 'n8n',
  version: '2.41.0',
  checks: [
    {
      id: 'key-through-proxy',
      title: 'the API key reaches n8n through the proxy',
      section: '5',
      scenarios: ['proxy.blanked-header'],
      how: 'run',
      passed: false,
      evidence: [`GET /api/v1/workflows with X-N8N-API-KEY ${FIXTURE_SECRET} -> 401 <html>`],
      fix: 'remove proxy_set_header X-N8N-API-KEY "";',
    },
    {
      id: 'queue-same-key',
      title: 'workers share the key',
      section: 'D',
      scenarios: ['secrets.queue-worker-key-mismatch'],
      how: 'read',
      passed: true,
      evidence: ['same key'],
    },
  ],
  skipped: ['upgrade: no --to version given'],
  notes: ['NGINX from --nginx deploy/nginx.conf'],
  passed: false,
  startedAt: '2026-12-06T12:00:00.000Z',
  finishedAt: '2026-12-06T12:00:45.000Z',
};

describe("authlab check's HTML report (check.html)", () => {
  const html = toDeployCheckHtml(failedRun, '0.1.0');

  test('the verdict first: how many checks failed, in the title and the heading', () => {
    expect(html).toContain('<title>n8n-authlab check: deploy/docker-compose.yml (n8n 2.41.0): 1 of 2 checks FAILED</title>');
    expect(html).toContain('<h1 class="fail">deploy/docker-compose.yml: 1 of 2 checks FAILED</h1>');
    const passed = toDeployCheckHtml({ ...failedRun, checks: failedRun.checks.slice(1), passed: true }, '0.1.0');
    expect(passed).toContain('<h1 class="pass">deploy/docker-compose.yml: all 1 checks passed</h1>');
  });

  test('a row per check (how it was made, the guide section, the scenarios that prove it), then its evidence and fix', () => {
    expect(html).toContain(
      '<tr class="fail"><td>FAIL</td><td><a href="#check-key-through-proxy"><code>key-through-proxy</code></a>: the API key reaches n8n through the proxy</td><td>run on the reproduced stack</td><td>5</td><td>proxy.blanked-header</td></tr>',
    );
    expect(html).toContain('<td>read from the files (not run)</td>');
    expect(html).toContain('<section id="check-key-through-proxy">');
    expect(html).toContain('<p class="fix">Fix: remove proxy_set_header X-N8N-API-KEY &quot;&quot;;</p>');
    expect(html).toContain('<li>upgrade: no --to version given</li>');
    expect(html).toContain('<li>NGINX from --nginx deploy/nginx.conf</li>');
  });

  test('self-contained and safe: no script or external asset, markup escaped, secrets masked', () => {
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(html).toContain('-&gt; 401 &lt;html&gt;');
    expect(html).not.toContain(FIXTURE_SECRET);
  });
});
