import { describe, expect, test } from 'vitest';
import { nearestVersions } from '../../src/images/n8n-versions.ts';
import { FAMILY_IDS, scenarios, selectScenarios } from '../../src/scenarios/catalogue.ts';

describe('the catalogue', () => {
  test('scenario ids are unique and each belongs to a known family', () => {
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
    for (const s of scenarios) expect(FAMILY_IDS).toContain(s.family);
  });

  test('every scenario proves its fault one way or another', () => {
    for (const s of scenarios) expect(s.hasFault || Boolean(s.proveFromRequest), s.id).toBe(true);
  });

  test('an unknown family or scenario id names the valid ones', () => {
    expect(() => selectScenarios({ families: ['proxy-nope'] })).toThrow(/unknown family: proxy-nope\. Valid familys?: headers, endpoints/);
    expect(() => selectScenarios({ ids: ['headers.nope'] })).toThrow(/Valid scenario ids: .*headers\.missing-header/);
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
