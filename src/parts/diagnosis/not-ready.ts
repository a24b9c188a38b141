import type { Exchange } from '../client/exchange.ts';

/** What n8n answers while its database is not ready (starting, or a lost connection it retries): 503 "Database is not ready!". */
export const NOT_READY_STATUS = 503;

/** How long the doctor waits for an n8n that is not ready before it gives a request up: tries, and the pause between them. */
export const READY_WAIT = { tries: 10, pauseMs: 3_000 } as const;

/**
 * Sends a request again while n8n answers 503 (not ready), up to READY_WAIT's tries: an n8n not yet
 * serving is not an n8n refusing, and a key judged on its 503 would be named refused. Returns the last answer.
 */
export async function whileNotReady(send: () => Promise<Exchange>, wait: { tries: number; pauseMs: number } = READY_WAIT): Promise<Exchange> {
  let answer = await send();
  for (let i = 1; i < wait.tries && answer.response?.status === NOT_READY_STATUS; i++) {
    await new Promise((r) => setTimeout(r, wait.pauseMs));
    answer = await send();
  }
  return answer;
}
