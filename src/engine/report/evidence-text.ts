import { describeExchange } from '../../parts/client/exchange.ts';
import { answerLines } from '../../core/verdict.ts';
import { metricsLines } from '../../parts/metrics/observation.ts';
import type { LedgerCell, LedgerExchange } from './ledger.ts';

/** A cell's evidence as text lines, grouped as both the Markdown and the HTML ledger show it. */
export function evidenceText(cell: LedgerCell): {
  answers: string[];
  proof: string[];
  fixes: string[];
  exchanges: string[];
  log: string[];
  metrics: string[];
} {
  const { faultProof, remedies, exchanges, log, doctor, metrics } = cell.evidence;
  const named = (modes: string[]) => (modes.length ? modes.join(', ') : 'healthy');
  const phase = (x: LedgerExchange) => {
    const r = x.remedy !== undefined ? remedies[x.remedy] : undefined;
    return r ? `${r.source} fix "${r.name}"${r.resolved ? '' : ' (did not resolve)'}` : x.phase;
  };
  return {
    answers: answerLines(cell.answers),
    proof: faultProof.map((c) => `${c.ok ? 'ok' : 'FAILED'}: ${c.what}: ${c.evidence}`),
    fixes: [
      ...remedies.flatMap((r) => [
        `${r.source} fix "${r.name}": ${r.resolved ? 'resolved' : 'did not resolve'}`,
        ...r.checks.filter((c) => !c.ok).map((c) => `  check failed: ${c.what}: ${c.evidence}`),
      ]),
      ...(doctor
        ? [
            `authlab doctor on the broken stack: ${named(doctor.broken)} (expected ${doctor.expected})${doctor.fixed ? `; after the fix: ${named(doctor.fixed)}` : ''}`,
          ]
        : []),
    ],
    exchanges: exchanges.map((x) => `${phase(x)}: ${describeExchange(x.exchange)}`),
    log: log.map((l) => `[${exchanges[l.exchange]?.exchange.label ?? '?'}] ${l.line}`),
    metrics: metricsLines(metrics),
  };
}
