import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { nearestVersions } from '../../src/parts/images/n8n-versions.ts';
import { FAMILIES, FAMILY_IDS, scenarios, selectScenarios } from '../../src/families/registry.ts';
import { defineScenario } from '../../src/core/define.ts';
import { defineFamily } from '../../src/core/family.ts';
import { GUIDE_SECTIONS, isGuideRef, NOT_IN_GUIDE } from '../../src/core/guide-sections.ts';

describe('the catalogue', () => {
  test('scenario ids are unique and each belongs to a known family', () => {
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
    for (const s of scenarios) expect(FAMILY_IDS).toContain(s.family);
  });

  test('every id starts with its family, and each family holds only its own', () => {
    for (const f of FAMILY_IDS) for (const s of FAMILIES[f].scenarios) expect(s.id.startsWith(`${f}.`), s.id).toBe(true);
    for (const s of scenarios) expect(s.id.startsWith(`${s.family}.`), s.id).toBe(true);
  });

  test('every id is written out in full, once, in src/families (never assembled: grep finds it)', () => {
    const root = new URL('../../src/families/', import.meta.url);
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const text = files.map((f) => readFileSync(new URL(f, root), 'utf8')).join('\n');
    const notOnce = scenarios.map((s) => s.id).filter((id) => text.split(`'${id}'`).length !== 2);
    expect(notOnce, "ids not written as '<id>' exactly once under src/families").toEqual([]);
  });

  test('every section a scenario cites is a section of the guide (or says it is not in the guide)', () => {
    const strays = scenarios.filter((s) => !isGuideRef(s.guide.section)).map((s) => `${s.id}: ${s.guide.section}`);
    expect(strays).toEqual([]);
  });

  test("a family's sections are the ones its scenarios cite, in the guide's order", () => {
    for (const f of FAMILY_IDS) {
      const cited = new Set(FAMILIES[f].scenarios.map((s) => s.guide.section));
      expect(new Set(FAMILIES[f].sections), f).toEqual(cited);
      const rank = FAMILIES[f].sections.map((x) => (x === NOT_IN_GUIDE ? GUIDE_SECTIONS.length : GUIDE_SECTIONS.indexOf(x)));
      expect(rank, f).toEqual([...rank].sort((a, b) => a - b));
    }
  });

  test("the families page's table cites the sections the catalogue computes", () => {
    const page = readFileSync(new URL('../../docs/families.md', import.meta.url), 'utf8');
    for (const f of FAMILY_IDS) expect(new RegExp(`^\\| \`${f}\` \\| ([^|]*) \\|`, 'm').exec(page)?.[1], f).toBe(FAMILIES[f].sections.join(', '));
  });

  test('defineFamily refuses a scenario whose id names another family', () => {
    const stray = defineScenario({
      id: 'headers.stray',
      title: 't',
      guide: { section: NOT_IN_GUIDE, claim: 'c', fix: '' },
      predicts: { outcome: 'rejected' },
      stack: { name: 'default' },
      symptom: async () => [],
      remedies: [],
    });
    expect(() => defineFamily('secrets', 'Secrets', [stray])).toThrow(/headers\.stray/);
  });

  test('selection by guide section, and an unknown section names the valid ones', () => {
    expect(selectScenarios({ sections: ['D'] }).map((s) => s.guide.section)).toEqual(expect.arrayContaining(['D']));
    expect(selectScenarios({ sections: ['D'] }).every((s) => s.guide.section === 'D')).toBe(true);
    expect(selectScenarios({ families: ['secrets'], sections: ['Quick fix'] }).every((s) => s.family === 'secrets' && s.guide.section === 'Quick fix')).toBe(
      true,
    );
    expect(() => selectScenarios({ sections: ['8'] })).toThrow(/unknown section: 8\. The sections: Q1, .*not in the guide/);
  });

  test('every scenario proves its fault one way or another', () => {
    for (const s of scenarios) expect(s.hasFault || Boolean(s.proveFromRequest), s.id).toBe(true);
  });

  test('an unknown family or scenario id names the valid ones', () => {
    expect(() => selectScenarios({ families: ['proxy-nope'] })).toThrow(/unknown family: proxy-nope\. The families: headers, endpoints/);
    expect(() => selectScenarios({ ids: ['headers.nope'] })).toThrow(/In headers: .*headers\.missing-header/);
  });

  test('selection by family and by id prefix', () => {
    expect(selectScenarios({ families: ['logs'] }).every((s) => s.family === 'logs')).toBe(true);
    expect(selectScenarios({ ids: ['headers.nbsp'] }).map((s) => s.id)).toEqual(['headers.nbsp']);
  });

  test('every scenario says what the doctor must name on its broken stack, or why the doctor cannot see it', () => {
    const neither = scenarios.filter((s) => !s.doctor === !s.doctorBlind).map((s) => s.id);
    expect(neither, 'give each of these exactly one of doctor / doctorBlind').toEqual([]);
  });

  test('the nearest served versions of an unknown one', () => {
    const served = ['1.116.2', '1.117.3', '1.118.0', '2.40.7', '2.41.0', '2.41.1'];
    expect(nearestVersions('1.116.9', served, 2)).toEqual(['1.116.2', '1.117.3']);
    expect(nearestVersions('2.41.2', served, 2)).toEqual(['2.41.0', '2.41.1']);
  });
});
