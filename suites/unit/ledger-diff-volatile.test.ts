import { ledgerCatalogue } from '../../src/families/registry.ts';
import { describe, expect, test } from 'vitest';
import { buildLedger } from '../../src/engine/report/ledger.ts';
import { describeDiff, diffLedgers } from '../../src/engine/report/ledger-diff.ts';
import { withoutVolatile } from '../../src/engine/report/volatile.ts';
import { catalogueRun, scenarioResult, V2 } from '../support/ledger-fixtures.ts';

/** A one-row ledger whose only symptom answers `status` with `body` (and whose guide fix resolves it or not). */
function ledgerAnswering(status: number, body: string, guideFixWorks = true) {
  const result = scenarioResult('headers.missing-header', 'headers', V2, {
    symptom: [[status, status === 200 ? 'accepted' : 'rejected']],
    body,
    guideFixWorks,
  });
  return buildLedger(catalogueRun([V2], [result]), '9.9.9', ledgerCatalogue);
}

/** The diff's lines between two runs that answered `before` and `after` with the same status. */
const linesBetween = (before: string, after: string, status = 401) =>
  describeDiff(diffLedgers(ledgerAnswering(status, before), ledgerAnswering(status, after)));

describe('authlab diff compares answers, not the values a run makes up', () => {
  test.each([
    [
      'a temporary folder',
      'exit 1; output: [stderr] /tmp/authlab-guide-code.node-3-2-6C70h4/section.sh',
      'exit 1; output: [stderr] /tmp/authlab-guide-code.node-3-2-G5dyNE/section.sh',
    ],
    ['a temporary folder cut short', 'failed in /tmp/authlab-guide-code.node-3-2-6C70h4/secti…', 'failed in /tmp/authlab-guide-code.node-3-2-AlGVkt/secti…'],
    [
      'the seconds an execution was watched',
      'no: the execution does not finish (still "running" after 35 s): no error',
      'no: the execution does not finish (still "running" after 36 s): no error',
    ],
    ['a timestamp', '2026-11-30T07:37:08.546Z | error | Error: Deployment key', '2026-12-06T12:01:59.002Z | error | Error: Deployment key'],
    ['a timestamp without a zone', 'at 2026-11-30 07:37:08 the worker exited', 'at 2026-12-06 12:01:59 the worker exited'],
    ['a uuid', '{"id":"998ea931-bba3-46c1-9f2e-0a1b2c3d4e5f"}', '{"id":"5a85dfc9-0f86-4e11-8a2b-bbccddeeff00"}'],
    ['a uuid cut short', '{"createdAt":"x","id":"998ea931-bba3-46…', '{"createdAt":"x","id":"d363b9d7-e45c-43…'],
    ['a mapped port', 'connect ECONNREFUSED 127.0.0.1:49153', 'connect ECONNREFUSED 127.0.0.1:32768'],
    ['a port on localhost', 'http://localhost:55012/webhook/x is not registered', 'http://localhost:41877/webhook/x is not registered'],
    ['a container address', 'upstream 172.18.0.4:5678 refused', 'upstream 172.19.0.7:5678 refused'],
    ['an n8n id', 'workflow aB3dE6gH9jK2mN5p has no access', 'workflow Qr7sT1uV4wX8yZ0a has no access'],
    ['an execution id', 'see /api/v1/executions/41 for details', 'see /api/v1/executions/7 for details'],
    ['a container id', 'container 3f4e5d6c7b8a exited', 'container 0a9b8c7d6e5f exited'],
    ["a generated key's last characters", 'refused <api-key …3a9c>', 'refused <api-key …77b1>'],
    [
      'a clock reading in epoch milliseconds',
      '{"description":"Invalid API key","timestamp":1796019619632}',
      '{"description":"Invalid API key","timestamp":1796563993510}',
    ],
    [
      'how many executions the queue gave a worker, all of them failing',
      '3 of 3 execution(s) on n8n-worker-odd failed (Credentials could not be decrypted.); 0 of 5 elsewhere',
      '2 of 2 execution(s) on n8n-worker-odd failed (Credentials could not be decrypted.); 0 of 6 elsewhere',
    ],
  ])('%s in an answer makes no difference', (_, before, after) => {
    expect(withoutVolatile(before)).toBe(withoutVolatile(after));
    expect(linesBetween(before, after)).toEqual([]);
  });

  test("a service's own port stays: n8n:5678 and n8n:5679 differ", () => {
    expect(linesBetween('proxy_pass http://n8n:5678/', 'proxy_pass http://n8n:5679/')).toHaveLength(1);
  });

  test('executions that went from all failing to some failing still show', () => {
    expect(
      linesBetween('3 of 3 execution(s) on n8n-worker-odd failed; 0 of 5 elsewhere', '1 of 3 execution(s) on n8n-worker-odd failed; 0 of 5 elsewhere'),
    ).not.toEqual([]);
  });

  test('a changed status still shows', () => {
    const lines = describeDiff(diffLedgers(ledgerAnswering(401, '{"message":"unauthorized"}'), ledgerAnswering(403, '{"message":"unauthorized"}')));
    expect(lines.join('\n')).toMatch(/401 "unauthorized" -> .*403 "unauthorized"/);
  });

  test('a changed message still shows, its volatile parts as placeholders', () => {
    const lines = linesBetween('{"message":"unauthorized at 2026-11-30T07:37:08Z"}', '{"message":"forbidden at 2026-12-06T12:00:00Z"}');
    expect(lines).toEqual([
      'headers.missing-header: does it answer as the guide says on n8n 2.41.0: yes: 401 "unauthorized at <time>" -> yes: 401 "forbidden at <time>"',
    ]);
  });

  test("a changed fix result still shows: the guide's fix stopped resolving it", () => {
    const lines = describeDiff(diffLedgers(ledgerAnswering(401, 'x', true), ledgerAnswering(401, 'x', false)));
    expect(lines).toContain("headers.missing-header: does the guide's fix resolve it on n8n 2.41.0: yes -> no");
  });

  test('a changed headline still shows, even where the verdict and answers are the same', () => {
    const before = ledgerAnswering(401, 'x');
    const after = ledgerAnswering(401, 'x');
    after.rows[0]!.cells[0]!.headline = 'real, as the guide says (401 "x"); the fix works';
    expect(describeDiff(diffLedgers(before, after))).toEqual([
      `headers.missing-header: headline reworded on n8n 2.41.0: ${before.rows[0]!.cells[0]!.headline} -> real, as the guide says (401 "x"); the fix works`,
    ]);
  });
});
