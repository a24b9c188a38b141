import { describe, expect, test } from 'vitest';
import type { DeployCheckRun } from '../../src/check/run-check.ts';
import { toDeployCheckJUnit } from '../../src/report/deploy-check.ts';
import { toJUnit } from '../../src/report/junit.ts';
import { junitXml } from '../../src/report/junit-xml.ts';
import { buildLedger } from '../../src/report/ledger.ts';
import { catalogueRun, FIXTURE_SECRET, sampleResults, V1, V2 } from '../support/ledger-fixtures.ts';

/** Each `<testcase …>…</testcase>` of a JUnit file, by its name. */
function cases(xml: string): Map<string, string> {
  return new Map([...xml.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*>[\s\S]*?<\/testcase>/g)].map((m) => [m[1]!, m[0]]));
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
  const xml = toJUnit(buildLedger(catalogueRun([V1, V2], results), 'test'));

  test('a suite per version and family, a case per result; a case fails only where failureOf says so; not runnable is skipped', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="n8n-authlab" tests="7" failures="1">/);
    expect(xml).toContain('<testsuite name="n8n 2.41.0 / headers" tests="2" failures="1" errors="0" skipped="1" time="2.000">');
    const nbsp = [...xml.matchAll(/<testcase classname="n8n-2\.41\.0\.headers" name="\[4\][^"]*"[\s\S]*?<\/testcase>/g)][0]![0];
    expect(nbsp).toContain('<failure message="the fix this project verified did not resolve the fault">');
    const missing = [...xml.matchAll(/<testcase classname="n8n-2\.41\.0\.headers" name="\[1\][^"]*"[\s\S]*?<\/testcase>/g)][0]![0];
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
