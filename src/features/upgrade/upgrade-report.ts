import { describeExchange } from '../../parts/client/exchange.ts';
import { maskDeep, mask } from '../../base/secrets.ts';
import type { UpgradeResult, UpgradeStep, VersionProbe } from './upgrade-check.ts';
import { junitXml, type JUnitCase } from '../../engine/report/junit-xml.ts';

/** The result without the steps' ledgers (written beside it, one file a step: `stepLedgerFiles`). */
export function toUpgradeJson(r: UpgradeResult, tool: string): string {
  const bare = ({ ledger: _ledger, ...s }: UpgradeStep) => s;
  const result = { ...r, steps: r.steps.map(bare), ...(r.downgrade ? { downgrade: bare(r.downgrade) } : {}) };
  return `${JSON.stringify(maskDeep({ schema: 'n8n-authlab/upgrade@2', tool, result }), null, 2)}\n`;
}

/** Each step's ledger file name, in the path's order (numbered: a downgrade returns to a version already run). */
export function stepLedgerFiles(r: UpgradeResult): Array<{ file: string; step: UpgradeStep }> {
  const all = [...r.steps, ...(r.downgrade ? [r.downgrade] : [])];
  return all.map((step, i) => ({ file: `step-${i + 1}-${step.probe.version}${step === r.downgrade ? '-downgrade' : ''}.json`, step }));
}

const checkLine = (c: { ok: boolean; what: string; evidence: string }) => `${c.ok ? 'ok' : 'FAILED'}: ${c.what}: ${c.evidence}`;

function stepCase(classname: string, name: string, p: VersionProbe, required: boolean, changes: string[]): JUnitCase {
  const failed = p.checks.filter((c) => !c.ok);
  const output = [
    ...p.checks.map(checkLine),
    ...changes.map((c) => `changed: ${c}`),
    ...(p.startLog ?? []).map((l) => `n8n said: ${l}`),
    ...p.exchanges.map(describeExchange),
  ].join('\n');
  const detail = [...failed.map((c) => `${c.what}: ${c.evidence}`), ...(p.startLog ?? [])].join('\n');
  const failure = required && failed.length ? { failure: { message: failed[0]!.what, detail } } : {};
  return { classname, name, ...failure, output };
}

/** JUnit: each step of the path must pass, a version never reached fails; the downgrade is reported in its output, never failed. */
export function toUpgradeJUnit(r: UpgradeResult): string {
  const classname = `n8n-authlab.upgrade.${r.database}`;
  const cases = r.steps.map((s, i) =>
    i === 0
      ? stepCase(classname, `${r.database}: n8n ${r.from}: key, credential, workflow and webhook made and working`, s.probe, true, [])
      : stepCase(
          classname,
          `${r.database}: upgrade ${r.steps[i - 1]!.probe.version} -> ${s.probe.version}: the key, the credential, the workflow and its webhook still work`,
          s.probe,
          true,
          s.changes,
        ),
  );
  const last = r.steps.at(-1)!.probe.version;
  for (const v of r.notReached) {
    cases.push({ classname, name: `${r.database}: n8n ${v}`, failure: { message: `not reached: n8n ${last} did not start over the data`, detail: '' } });
  }
  if (r.downgrade) {
    cases.push(
      stepCase(classname, `${r.database}: downgrade ${last} -> ${r.downgrade.probe.version} (reported)`, r.downgrade.probe, false, r.downgrade.changes),
    );
  }
  return junitXml('n8n-authlab upgrade', [{ name: `upgrade on ${r.database}: ${r.path.join(' -> ')}`, cases }]);
}

const DATABASE_LABEL: Record<UpgradeResult['database'], string> = { sqlite: "SQLite (in n8n's data volume)", postgres: 'PostgreSQL' };

function stepSection(level: string, title: string, s: UpgradeStep, previous: string | undefined): string[] {
  const p = s.probe;
  return [
    `${level} ${title}`,
    '',
    ...(p.startError ? [`n8n did not start: ${p.startError}`, '', 'Its last log lines:', '', '```', ...(p.startLog ?? []), '```', ''] : []),
    ...p.checks.map((c) => `- ${c.ok ? 'ok' : '**failed**'}: ${c.what} (${c.evidence})`),
    '',
    ...(previous
      ? [
          `What changed from n8n ${previous} (the ledger diff of the two steps):`,
          '',
          ...(s.changes.length ? s.changes.map((c) => `- \`${c}\``) : ['- nothing']),
          '',
          ...(s.inShort.length ? ['In short (+ only the new step, - only the one before):', '', ...s.inShort.map((c) => `- ${c}`), ''] : []),
        ]
      : []),
  ];
}

/** One database's path as Markdown; `level` is the heading of its title (`#`, or `##` inside the combined report). */
export function toUpgradeMarkdown(r: UpgradeResult, level = '#'): string {
  const sub = `${level}#`;
  const steps = r.steps.flatMap((s, i) =>
    stepSection(sub, i === 0 ? `Step 1: n8n ${s.probe.version} (made the data)` : `Step ${i + 1}: n8n ${s.probe.version}`, s, r.steps[i - 1]?.probe.version),
  );
  const last = r.steps.at(-1)!.probe.version;
  return mask(
    [
      `${level} Upgrade on ${DATABASE_LABEL[r.database]}: n8n ${r.path.join(' -> ')}: ${r.passed ? 'passed' : 'FAILED'}`,
      '',
      `On n8n ${r.from}: an owner, an API key, a Header Auth credential and a workflow that uses it, published, run by its production webhook. Each next version replaced n8n over the same database and data volume. ${stepSpan(r)}`,
      '',
      ...steps,
      ...(r.notReached.length ? [`Not reached (n8n ${last} did not start): ${r.notReached.map((v) => `n8n ${v}`).join(', ')}`, ''] : []),
      ...(r.downgrade ? stepSection(sub, `Downgrade back to n8n ${r.downgrade.probe.version} (reported, not required)`, r.downgrade, last) : []),
    ].join('\n'),
  );
}

function stepSpan(r: UpgradeResult): string {
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  return Number.isFinite(ms) ? `${r.steps.length + (r.downgrade ? 1 : 0)} n8n starts in ${Math.round(ms / 1000)} s.` : '';
}

/** A version's cell in the combined table: its checks, or why it has none. */
function cellOf(r: UpgradeResult, version: string, index: number): string {
  const s = r.steps[index];
  if (!s || s.probe.version !== version) return 'not reached';
  if (s.probe.startError) return '**did not start**';
  const ok = s.probe.checks.filter((c) => c.ok).length;
  const changed = index > 0 ? `; ${s.changes.length} change(s)` : '';
  return `${ok === s.probe.checks.length ? 'ok' : '**failed**'} (${ok}/${s.probe.checks.length})${changed}`;
}

/** Every database's path in one Markdown report: a table of the steps, then each database's report. */
export function toUpgradePathMarkdown(results: UpgradeResult[]): string {
  const path = results[0]?.path ?? [];
  return mask(
    [
      `# Upgrade path: n8n ${path.join(' -> ')}`,
      '',
      `| step | ${results.map((r) => DATABASE_LABEL[r.database]).join(' | ')} |`,
      `|---|${results.map(() => '---|').join('')}`,
      ...path.map((v, i) => `| ${i + 1}: n8n ${v} | ${results.map((r) => cellOf(r, v, i)).join(' | ')} |`),
      `| result | ${results.map((r) => (r.passed ? 'passed' : '**FAILED**')).join(' | ')} |`,
      '',
      ...results.map((r) => toUpgradeMarkdown(r, '##')),
    ].join('\n'),
  );
}
