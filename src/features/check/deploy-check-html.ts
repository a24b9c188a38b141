import type { DeployCheck } from './checks.ts';
import type { DeployCheckRun } from './run-check.ts';
import { maskDeep } from '../../base/secrets.ts';
import { BASE_STYLE, esc } from '../../engine/report/ledger-html.ts';

// One page, no assets and no scripts: it opens from a CI run's artifacts as it is.
const STYLE = `${BASE_STYLE}
.pass { background: #dff3e0; }
.fail { background: #fbe0dc; }
.fix { font-weight: bold; }
`;

const HOW = { run: 'run on the reproduced stack', read: 'read from the files (not run)' } as const;
const anchor = (c: DeployCheck) => `check-${c.id}`;

function checkRow(c: DeployCheck): string {
  const result = `${c.passed ? 'PASS' : 'FAIL'}${c.security ? ' (security)' : ''}`;
  return `<tr class="${c.passed ? 'pass' : 'fail'}"><td>${result}</td><td><a href="#${anchor(c)}"><code>${esc(c.id)}</code></a>: ${esc(c.title)}</td><td>${HOW[c.how]}</td><td>${esc(c.section)}</td><td>${esc(c.scenarios.join(', '))}</td></tr>`;
}

function checkSection(c: DeployCheck): string {
  return [
    `<section id="${anchor(c)}">`,
    `<h3 class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'PASS' : 'FAIL'} <code>${esc(c.id)}</code>: ${esc(c.title)}</h3>`,
    c.security ? `<p class="fix">Security finding: lets in ${esc(c.security)}</p>` : '',
    c.fix ? `<p class="fix">Fix: ${esc(c.fix)}</p>` : '',
    `<pre>${esc(c.evidence.join('\n'))}</pre>`,
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

const list = (title: string, items: string[]) => (items.length ? `<h2>${title}</h2>\n<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : '');

/** `authlab check` as one self-contained HTML page: the verdict, a row per check, then each check's evidence and fix. */
export function toDeployCheckHtml(input: DeployCheckRun, toolVersion: string): string {
  const run = maskDeep(input);
  const failed = run.checks.filter((c) => !c.passed);
  const verdict = failed.length ? `${failed.length} of ${run.checks.length} checks FAILED` : `all ${run.checks.length} checks passed`;
  const proxy = run.proxy
    ? `; ${run.proxy.kind}${run.proxy.service ? ` (service ${run.proxy.service})` : ''}, ${run.proxy.how === 'run' ? 'run' : 'read'} from ${run.proxy.source}`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>n8n-authlab check: ${esc(run.compose)} (n8n ${esc(run.version)}): ${verdict}</title>
<style>${STYLE}</style>
</head>
<body>
<h1 class="${failed.length ? 'fail' : 'pass'}">${esc(run.compose)}: ${verdict}</h1>
<p>Service <code>${esc(run.service)}</code> checked as n8n ${esc(run.version)}${run.nginx ? `, NGINX config ${esc(run.nginx)}` : ''}${esc(proxy)}; ${esc(run.startedAt)} → ${esc(run.finishedAt)}; n8n-authlab ${esc(toolVersion)}.</p>
<table>
<tr><th>result</th><th>check</th><th>how</th><th>guide §</th><th>proven by (scenarios)</th></tr>
${run.checks.map(checkRow).join('\n')}
</table>
${list('Not checked', run.skipped)}
${list('How the deployment was reproduced', run.notes)}
<h2>Evidence</h2>
${run.checks.map(checkSection).join('\n')}
</body>
</html>
`;
}
