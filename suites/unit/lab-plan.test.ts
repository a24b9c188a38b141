import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { labDetails, labJson, labTable } from '../../src/cli/lab-list.ts';
import { writeLabCompose } from '../../src/features/lab/lab-compose.ts';
import { hintLadder, HINT_PLACEHOLDERS } from '../../src/features/lab/lab-hints.ts';
import { DEFAULT_LAB_VERSION, labPlans, levelOf, SOLVE_MINUTES } from '../../src/features/lab/lab-plan.ts';
import { LEARNER_TITLES, learnerTitle } from '../../src/features/lab/lab-titles.ts';
import { breaksOf, labVersionsOf, PUBLISHED_LEDGER, readLabVersions } from '../../src/features/lab/lab-versions.ts';
import { labScenarios, type Lab } from '../../src/features/lab/labs.ts';
import { readLedger } from '../../src/engine/report/ledger-diff.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const labs = labScenarios();
const byId = (id: string) => labs.find((l) => l.id === id) as Lab;

/** What the learner is shown anyway (the proxy in front, the public URL, the rotation they make): a title may name it. */
const SETUP_WORDS = new Set(['caddy', 'nginx', 'traefik', 'public', 'rotation', 'header', 'headers', 'request', 'proxy']);

/** The words of a lab's id (its fault, in the project's words) that its learner title must not carry. */
const faultWords = (lab: Lab) => (lab.id.split('.')[1]!.match(/[a-z0-9]{5,}/g) ?? []).filter((w) => !SETUP_WORDS.has(w));

describe('lab list: what a trainer plans with', () => {
  test('the versions where each lab breaks, shipped in fixtures/, are what the published ledger says (regenerate: scripts/lab-versions.ts)', async () => {
    const ledger = await readLedger(join(ROOT, PUBLISHED_LEDGER));
    expect(readLabVersions()).toEqual(labVersionsOf(ledger, labs, readLabVersions().judgedElsewhere));
  });

  test('a lab breaks where its failure happens; a lab whose symptom is a request let through, where the claim that it works holds', async () => {
    const ledger = await readLedger(join(ROOT, PUBLISHED_LEDGER));
    const v = labVersionsOf(ledger, labs).labs;
    const cell = (id: string, version: string) => ledger.rows.find((r) => r.id === id)!.cells.find((c) => c.version === version)!;
    expect(cell('external.key-with-zwsp', '2.41.0').answers?.happens).toBe('no');
    expect(v['external.key-with-zwsp']!.breaks).not.toContain('2.41.0');
    expect(cell('external.key-with-zwsp', '1.116.2').answers?.happens).toBe('yes');
    expect(v['external.key-with-zwsp']!.breaks).toContain('1.116.2');
    expect(cell('proxy.static-key-injected', '2.41.0').verdict).toBe('works-as-the-guide-says');
    expect(v['proxy.static-key-injected']!.breaks).toContain('2.41.0');
  });

  test('three labs do not break on the default version, and each names a version where it does', () => {
    const { plans } = labPlans(labs);
    const elsewhere = plans.filter((p) => !p.breaksOnDefault);
    expect(elsewhere.map((p) => p.id).sort()).toEqual(['external.key-with-bom', 'external.key-with-trailing-newline', 'external.key-with-zwsp']);
    for (const p of elsewhere) expect(p.breaks, p.id).toContain(p.suggestedVersion);
  });

  test("every lab has a learner's title: the symptom, never the fault (no config, no word of the fault's name, not the scenario's title)", () => {
    expect(Object.keys(LEARNER_TITLES).sort()).toEqual(labs.map((l) => l.id).sort());
    for (const lab of labs) {
      const title = learnerTitle(lab);
      expect(title, lab.id).not.toBe(lab.title);
      expect(title, lab.id).not.toMatch(/[_=;$"]|X-N8N|N8N_/);
      for (const word of faultWords(lab)) expect(title.toLowerCase(), `${lab.id} names "${word}"`).not.toContain(word);
    }
  });

  test('the level counts the steps beyond one answer and one edit: a plain proxy lab is beginner, an env lab never is', () => {
    expect(levelOf(byId('proxy.blanked-header'))).toEqual({ level: 'beginner', steps: [] });
    expect(levelOf(byId('proxy.static-key-rotation')).level).toBe('intermediate');
    for (const lab of labs.filter((l) => l.lab.kind === 'env' || l.lab.kind === 'clock')) expect(levelOf(lab).level, lab.id).not.toBe('beginner');
    for (const lab of labs) {
      const { level, steps } = levelOf(lab);
      expect(level, lab.id).toBe(steps.length === 0 ? 'beginner' : steps.length === 1 ? 'intermediate' : 'advanced');
    }
  });

  test('the table has a header saying what each column is, a row per lab with its columns, and how to start the labs the default does not break', () => {
    const { plans, sources } = labPlans(labs);
    const lines = labTable(plans, sources);
    const head = lines.findIndex((l) => l.startsWith('LAB '));
    expect(lines.slice(0, head).join('\n')).toMatch(/LEVEL: [^]*MIN: [^]*MiB: [^]*BREAKS ON: /);
    expect(lines[head]).toMatch(/^LAB +KIND +LEVEL +MIN +MiB +BREAKS ON +WHAT THE LEARNER SEES$/);
    for (const p of plans) {
      const row = lines.find((l) => l.startsWith(`${p.id} `));
      expect(row, p.id).toContain(p.title);
      expect(row, p.id).toContain(` ${p.level} `);
      expect(row, p.id).not.toContain(byId(p.id).title);
    }
    expect(lines.find((l) => l.startsWith('external.key-with-zwsp '))).toContain('1.110.1,1.116.2,2.8.4 *');
    expect(lines).toContain('  authlab lab external.key-with-zwsp --n8n 1.116.2');
    expect(lines.join('\n')).toContain(`not broken on n8n ${DEFAULT_LAB_VERSION}, the default`);
  });

  test('where a lab was measured, its minutes are the measured start rounded up plus the learner time of its level', () => {
    const { plans } = labPlans(labs);
    for (const p of plans.filter((x) => x.measured)) expect(p.minutes, p.id).toBe(Math.ceil(p.measured!.startSeconds / 60) + SOLVE_MINUTES[p.level]);
    for (const p of plans.filter((x) => !x.measured)) expect(p.minutes, p.id).toBeUndefined();
  });

  test('--details gives a block per lab, --json the same plans with their sources', () => {
    const { plans, sources } = labPlans(labs);
    const details = labDetails(plans, sources).join('\n');
    for (const p of plans) expect(details).toContain(`${p.id}: ${p.title}\n  kind:`);
    const json = JSON.parse(labJson(plans, sources)) as { sources: { ledger: { versions: string[] } }; labs: Array<{ id: string }> };
    expect(json.sources.ledger.versions).toEqual(sources.versions.ledger.versions);
    expect(json.labs.map((l) => l.id)).toEqual(labs.map((l) => l.id));
  });
});

describe('hints without a running lab', () => {
  test('lab <id> --hints prints the whole ladder with no Docker engine reachable (exit 0)', () => {
    const r = spawnSync(process.execPath, ['bin/authlab.js', 'lab', 'proxy.blanked-header', '--hints'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock', AUTHLAB_HOME: mkdtempSync(join(tmpdir(), 'authlab-hints-')) },
    });
    expect(r.status, r.stderr).toBe(0);
    const ladder = hintLadder(byId('proxy.blanked-header'), HINT_PLACEHOLDERS);
    for (const [i, h] of ladder.entries()) expect(r.stdout).toContain(`hint ${i + 1}/4: ${h}`);
    expect(r.stdout).toContain('<api-key file>');
  });

  test('a lab the default version does not break refuses to start without --n8n, naming one that does (exit 2, before Docker)', () => {
    const r = spawnSync(process.execPath, ['bin/authlab.js', 'lab', 'external.key-with-bom'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      `authlab: lab external.key-with-bom does not break on n8n ${DEFAULT_LAB_VERSION}, the default (the published ledger: it breaks on 1.110.1, 1.116.2, 2.8.4); start it with: authlab lab external.key-with-bom --n8n 1.116.2`,
    );
  });
});

describe('compose exports, for people without this tool', () => {
  test("each README is headed with the learner's title, says where the symptom shows, and its hints need no authlab", async () => {
    for (const lab of labs.filter((l) => !l.lab.composeRefused)) {
      const dir = mkdtempSync(join(tmpdir(), 'authlab-lab-unit-'));
      await writeLabCompose(lab, '2.41.0', dir);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      expect(readme.split('\n')[0], lab.id).toBe(`# Lab: ${learnerTitle(lab)}`);
      expect(readme, lab.id).not.toContain(lab.title);
      expect(readme, lab.id).toContain(`the symptom shows on ${breaksOf(readLabVersions(), lab.id).breaks.join(', ')}`);
      const hints = readme.slice(readme.indexOf('## Hints'), readme.indexOf('## Clean up'));
      expect(hints.match(/^\d\. /gm), lab.id).toHaveLength(4);
      expect(hints, lab.id).not.toMatch(/authlab|doctor/i);
    }
  });
});
