/** The header n8n's public API reads the key from (case-insensitive on the wire). */
export const API_KEY_HEADER = 'X-N8N-API-KEY';
/** The public API call every probe makes: it needs only a valid key. */
export const PUBLIC_WORKFLOWS = '/api/v1/workflows';

/** The issued key with its last character changed: a wrong value that is never the right one by chance. */
export function wrongKeyOf(key: string): string {
  return `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
}
