import { ANSWER_WAIT_MS, escapeBytes, record, type Exchange } from './exchange.ts';

/**
 * What Node's own fetch does with the same header: it strips surrounding whitespace, sends
 * U+00A0 as the single byte 0xA0, and throws before sending anything above U+00FF.
 */
export async function fetchProbe(label: string, url: string, headers: Array<[string, string]>): Promise<Exchange> {
  const shown = headers.map(([k, v]) => [k, escapeBytes(Buffer.from(v))] as [string, string]);
  const base = { label, via: 'node-fetch' as const, request: { method: 'GET', url, headers: shown } };
  try {
    const res = await fetch(url, { headers: headers.map(([k, v]) => [k, v] as [string, string]), signal: AbortSignal.timeout(ANSWER_WAIT_MS) });
    return record({ ...base, response: { status: res.status, body: await res.text() } });
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return record({ ...base, error: e.cause?.message ?? e.message });
  }
}
