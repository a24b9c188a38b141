import type { Exchange } from '../client/exchange.ts';

/** The `message` of n8n's JSON answer, when the answer is n8n's JSON with one. */
export function n8nMessage(e: Exchange): string | undefined {
  try {
    const m = (JSON.parse(e.response?.body ?? '') as { message?: unknown }).message;
    return typeof m === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}
