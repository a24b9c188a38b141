import { ledgerCatalogue } from '../../src/families/registry.ts';
import { describe, expect, test } from 'vitest';
import type { DeployCheckRun } from '../../src/features/check/run-check.ts';
import { toDeployCheckJUnit } from '../../src/features/check/deploy-check.ts';
import { chosenKind, toJUnit } from '../../src/engine/report/junit.ts';
import { junitXml } from '../../src/engine/report/junit-xml.ts';
import { buildLedger } from '../../src/engine/report/ledger.ts';
import { catalogueRun, FIXTURE_SECRET, sampleResults, V1, V2 } from '../support/ledger-fixtures.ts';

/** Each `<testcase …>…</testcase>` of a JUnit file, by its name. */
function cases(xml: string): Map<string, string> {
  return new Map([...xml.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*>[\s\S]*?<\/testcase>/g)].map((m) => [m[1]!, m[0]]));
}

/** Each scenario case, by its name and (after @) the n8n version of its classname. */
function scenarioCases(xml: string): Map<string, string> {
  const found = xml.matchAll(/<testcase classname="n8n-([\d.]+)\.[^"]*" name="([^"]*)"[^>]*>[\s\S]*?<\/testcase>/g);
  return new Map([...found].map((m) => [`${m[2]!} @${m[1]!}`, m[0]]));
}

describe('the scenarios JUnit, from the ledger', () => {
  const results = sampleResults().map((r) => {
    if (r.id === 'headers.nbsp' && r.version === V2) return { ...r, correctFixResolves: false };
    if (r.id === 'headers.missing-header' && r.version === V2) {
      return {
        ...r,
        verdict: { kind: 'not-runnable' as const, headline: 'not runnable here', summary: 'n8n 2.41.0: not runnable here: no image', reasons: [] },
      };
    }
    return r;
  });
  const xml = toJUnit(buildLedger(catalogueRun([V1, V2], results), 'test', ledgerCatalogue));

  test('a suite per version and family, a case per result; a case fails only where failureOf says so; not runnable is skipped', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="n8n-authlab" tests="7" failures="1">/);
    expect(xml).toContain('<testsuite name="n8n 2.41.0 / headers" tests="2" failures="1" errors="0" skipped="1" time="2.000">');
    const nbsp = scenarioCases(xml).get('headers.nbsp: the title of headers.nbsp @2.41.0')!;
    expect(nbsp).toContain('<failure message="the fix this project verified did not resolve the fault">');
    const missing = scenarioCases(xml).get('headers.missing-header: the title of headers.missing-header @2.41.0')!;
    expect(missing).toContain('<skipped message="n8n 2.41.0: not runnable here: no image"/>');
    expect(missing).not.toContain('<failure');
    // A finding (the guide's fix fails, the failure does not happen) is not a failure.
    expect(xml.match(/<failure /g)).toHaveLength(1);
  });

  test('each case shows the headline, the four answers and the evidence; secrets masked, markup escaped', () => {
    expect(xml).toContain('does the failure happen: no');
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).toContain('&lt;api-key …3a9c&gt;');
    expect(xml).not.toContain(FIXTURE_SECRET);
  });

  test('a case per scenario and version, named with the scenario id; verdict, headline and the four answers as properties', () => {
    const xml = toJUnit(buildLedger(catalogueRun([V1, V2], sampleResults()), 'test', ledgerCatalogue));
    const nbsp = scenarioCases(xml).get('headers.nbsp: the title of headers.nbsp @1.116.2')!;
    expect(nbsp).toContain('<property name="verdict" value="does-not-happen"/>');
    expect(nbsp).toContain('<property name="verdict in words" value="does not happen"/>');
    expect(nbsp).toMatch(/<property name="headline" value="does not happen: answers 200 [^"]*"\/>/);
    expect(nbsp).toContain('<property name="does the failure happen" value="no"/>');
    expect(nbsp).toContain('<property name="does it answer as the guide says" value="not asked (it does not happen): 200 ');
    expect(nbsp).toContain(`<property name="does the guide&#39;s fix resolve it" value="yes"/>`.replace('&#39;', "'"));
    expect(nbsp).toContain('<property name="the fix this project verified" value="&quot;the verified fix&quot;"/>');
    expect(nbsp).toContain('<property name="evidence" value="ledger-evidence.html#ev-headers-nbsp-1-116-2"/>');
  });
});

describe('--fail-on: chosen verdict kinds fail their case', () => {
  const ledger = buildLedger(catalogueRun([V1, V2], sampleResults()), 'test', ledgerCatalogue);
  const failures = (xml: string) => [...scenarioCases(xml)].filter(([, c]) => c.includes('<failure')).map(([name]) => name);

  test('by default a finding is not a failure', () => {
    expect(failures(toJUnit(ledger))).toEqual([]);
  });

  test('a chosen kind fails every case of that kind, the headline in the message', () => {
    const xml = toJUnit(ledger, ['does-not-happen']);
    expect(failures(xml)).toEqual(['headers.nbsp: the title of headers.nbsp @1.116.2', 'endpoints.key-scopes: the title of endpoints.key-scopes @1.116.2']);
    expect(xml).toMatch(/<failure message="does not happen \(--fail-on does-not-happen\): does not happen: answers 200 /);
    expect(xml).toMatch(/<testsuites name="n8n-authlab" tests="7" failures="2">/);
  });

  test('the combined kind is caught by either of its parts', () => {
    expect(chosenKind('answers-otherwise-guide-fix-fails', ['answers-otherwise'])).toBe('answers-otherwise');
    expect(chosenKind('answers-otherwise-guide-fix-fails', ['guide-fix-fails'])).toBe('guide-fix-fails');
    expect(chosenKind('answers-otherwise', ['guide-fix-fails'])).toBeUndefined();
    expect(chosenKind('guide-fix-fails', ['answers-otherwise', 'guide-fix-fails'])).toBe('guide-fix-fails');
  });
});

describe('the one JUnit writer', () => {
  test('characters XML 1.0 forbids are written out; a message is its first line', () => {
    const detail = 'bell \u0007 esc \u001b nul \u0000 lone \ud800 pair \ud83d\ude00';
    const xml = junitXml('t', [
      {
        name: 's',
        cases: [{ classname: 'c', name: `a "quoted" 'name' & <tag>`, failure: { message: 'first line\nsecond', detail }, output: 'tab\tnewline\n' }],
      },
    ]);
    expect(xml).toContain(`name="a &quot;quoted&quot; 'name' &amp; &lt;tag&gt;"`);
    expect(xml).toContain('<failure message="first line">bell \\x07 esc \\x1b nul \\x00 lone \\ud800 pair \ud83d\ude00</failure>');
    expect(xml).toContain('<system-out>tab\tnewline\n</system-out>');
    expect(xml).toMatch(/<testsuite name="s" tests="1" failures="1" errors="0" skipped="0">/);
  });

  test('authlab check: a failed check fails, a check that does not apply is skipped', () => {
    const run: DeployCheckRun = {
      compose: 'docker-compose.yml',
      service: 'n8n',
      version: '2.41.0',
      notes: [],
      checks: [
        {
          id: 'key-through-proxy',
          title: 'the key through NGINX',
          section: '4',
          scenarios: ['nginx-strips'],
          how: 'run',
          passed: false,
          evidence: [`sent ${FIXTURE_SECRET}`],
          fix: 'proxy_pass_request_headers on',
        },
        {
          id: 'encryption-key-survives-recreate',
          title: 'one encryption key',
          section: 'D',
          scenarios: ['secrets.x'],
          how: 'read',
          passed: true,
          evidence: ['same key'],
        },
      ],
      skipped: ['queue-workers: no worker in the compose file'],
      passed: false,
      startedAt: '',
      finishedAt: '',
    };
    const xml = toDeployCheckJUnit(run);
    expect(xml).toContain('<testsuites name="n8n-authlab check" tests="3" failures="1">');
    const byName = cases(xml);
    expect(byName.get('key-through-proxy: the key through NGINX')).toContain(
      '<failure message="proxy_pass_request_headers on">guide section 4; proven by nginx-strips; run on the reproduced stack\nsent &lt;api-key …3a9c&gt;</failure>',
    );
    expect(byName.get('encryption-key-survives-recreate: one encryption key')).not.toContain('<failure');
    expect(byName.get('queue-workers')).toContain('<skipped message="queue-workers: no worker in the compose file"/>');
    expect(xml).not.toContain(FIXTURE_SECRET);
  });
});
