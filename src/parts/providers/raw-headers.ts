/**
 * The header values exactly as they came off the wire. The Fetch `Headers` a handler sees trims
 * and re-encodes them; serve.ts passes the raw pairs along in one extra header so a provider can
 * compare a key byte for byte (a trailing NBSP is then a wrong key, as on a real API).
 */
export const RAW_HEADERS = 'x-authlab-raw-headers';

export function encodeRawHeaders(pairs: Array<[string, string]>): string {
  return Buffer.from(JSON.stringify(pairs), 'latin1').toString('base64');
}

/** A header's raw value (the first of that name, case-insensitive) as the bytes the client sent, read as UTF-8. */
export function rawHeader(request: Request, name: string): string | undefined {
  const encoded = request.headers.get(RAW_HEADERS);
  if (!encoded) return request.headers.get(name) ?? undefined;
  const pairs = JSON.parse(Buffer.from(encoded, 'base64').toString('latin1')) as Array<[string, string]>;
  const value = pairs.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return value === undefined ? undefined : Buffer.from(value, 'latin1').toString('utf8');
}
