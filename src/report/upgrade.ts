import { describeExchange } from '../client/exchange.ts';
import { maskDeep, mask } from '../secrets.ts';
import type { UpgradeResult, VersionProbe } from '../upgrade/upgrade-check.ts';
import { junitXml, type JUnitCase } from './junit-xml.ts';

export function toUpgradeJson(r: UpgradeResult, tool: string): string {
  return `${JSON.stringify(maskDeep({ schema: 'n8n-authlab/upgrade@1', tool, result: r }), null, 2)}\n`;
}

function stepCase(name: string, p: VersionProbe, required: boolean): JUnitCase {
  const failed = p.checks.filter((c) => !c.ok);
  const output = [...p.checks.map((c) => `${c.ok ? 'ok' : 'FAILED'}: ${c.what}: ${c.evidence}`), ...p.exchanges.map(describeExchange)].join('\n');
  const detail = failed.map((c) => `${c.what}: ${c.evidence}`).join('\n');
  const failure = required && failed.length ? { failure: { message: failed[0]!.what, detail } } : {};
  return { classname: 'n8n-authlab.upgrade', name, ...failure, output };
}

/** JUnit: the upgrade's two steps must pass; the downgrade is reported in its output, never failed. */
export function toUpgradeJUnit(r: UpgradeResult): string {
  return junitXml('n8n-authlab upgrade', [
    {
      name: `upgrade ${r.from} -> ${r.to}`,
      cases: [
        stepCase(`n8n ${r.from}: key, credential and workflow made and working`, r.before, true),
        stepCase(`upgrade ${r.from} -> ${r.to}: the key, the credential and the workflow still work`, r.after, true),
        stepCase(`downgrade ${r.to} -> ${r.from} (reported)`, r.downgrade, false),
      ],
    },
  ]);
}

export function toUpgradeMarkdown(r: UpgradeResult): string {
  const section = (title: string, p: VersionProbe) => [
    `## ${title}`,
    '',
    ...(p.startError ? [`n8n did not start: ${p.startError}`, ''] : []),
    ...p.checks.map((c) => `- ${c.ok ? 'ok' : '**failed**'}: ${c.what} (${c.evidence})`),
    '',
  ];
  return mask(
    [
      `# Upgrade check: n8n ${r.from} -> ${r.to}: ${r.passed ? 'passed' : 'FAILED'}`,
      '',
      `PostgreSQL, one owner, one API key, one Header Auth credential and a workflow that uses it, made on ${r.from}; n8n replaced by ${r.to} over the same database and data volume; then back to ${r.from}.`,
      '',
      ...section(`On ${r.from}`, r.before),
      ...section(`After the upgrade to ${r.to}`, r.after),
      '## What changed',
      '',
      ...(r.changes.length ? r.changes.map((c) => `- ${c}`) : ['- nothing in the probed answers']),
      '',
      ...section(`Downgrade back to ${r.from} (reported, not required)`, r.downgrade),
    ].join('\n'),
  );
}
