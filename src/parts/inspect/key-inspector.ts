import { createHash } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';

/** n8n's signing secret when N8N_USER_MANAGEMENT_JWT_SECRET is unset: every other character of the encryption key, SHA-256, hex. */
export function deriveJwtSecret(encryptionKey: string): string {
  let base = '';
  for (let i = 0; i < encryptionKey.length; i += 2) base += encryptionKey[i];
  return createHash('sha256').update(base).digest('hex');
}

interface TimeClaim {
  /** ISO time of the claim. */
  at: string;
  /** Seconds the claim lies ahead of (positive) or behind (negative) the reference clock. */
  aheadBySeconds: number;
}

interface SignatureCheck {
  against: 'encryption-key' | 'jwt-secret';
  valid: boolean;
  detail: string;
}

export interface KeyInspection {
  kind: 'jwt' | 'legacy' | 'not-a-key';
  /** Characters that cannot be part of a key: a person copying it should see them. */
  strayCharacters: string[];
  algorithm?: string;
  claims?: Pick<JWTPayload, 'sub' | 'iss' | 'aud' | 'jti'>;
  iat?: TimeClaim;
  exp?: TimeClaim & { expired: boolean };
  signature?: SignatureCheck;
  /**
   * The signature part does not re-encode to itself: a character was changed where only unused
   * low bits differ, so the signature still verifies, but the key is not the string n8n issued.
   */
  altered?: boolean;
  /** One line per finding, for people. */
  findings: string[];
}

interface InspectOptions {
  /** The reference clock (default: now). */
  now?: Date;
  encryptionKey?: string;
  jwtSecret?: string;
}

const LEGACY = /^n8n_api_[0-9a-f]+$/;

/** The key without every character that cannot be part of one (whitespace, ZWSP, NBSP, BOM, ...). */
export function keyCharactersOf(raw: string): string {
  return raw.replace(/[^\x21-\x7e]/g, '');
}

function describeChar(c: string): string {
  const code = c.codePointAt(0)!;
  const names: Record<number, string> = {
    0x0a: 'line feed',
    0x0d: 'carriage return',
    0x20: 'space',
    0x09: 'tab',
    0xa0: 'no-break space',
    0x200b: 'zero-width space',
    0xfeff: 'byte order mark',
  };
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}${names[code] ? ` (${names[code]})` : ''}`;
}

function timeClaim(seconds: number, now: Date): TimeClaim {
  return { at: new Date(seconds * 1000).toISOString(), aheadBySeconds: Math.round(seconds - now.getTime() / 1000) };
}

/**
 * Decodes an n8n API key without trusting it: its kind, stray characters, claims, `iat`/`exp`
 * against a reference clock and, given the instance's encryption key or JWT secret, whether that
 * instance signed it. Never returns the key itself.
 */
export async function inspectApiKey(raw: string, opts: InspectOptions = {}): Promise<KeyInspection> {
  const now = opts.now ?? new Date();
  const stray = [...raw].filter((c) => !/[\x21-\x7e]/.test(c));
  const key = keyCharactersOf(raw);
  const findings = stray.length
    ? [`the key carries ${stray.length} character(s) that cannot be part of it: ${[...new Set(stray.map(describeChar))].join(', ')}`]
    : [];
  const strayCharacters = stray.map(describeChar);
  if (LEGACY.test(key)) return { kind: 'legacy', strayCharacters, findings: [...findings, 'a legacy n8n_api_ key: not a JWT, no times or signature to check'] };
  let payload: JWTPayload;
  let algorithm: string | undefined;
  try {
    payload = decodeJwt(key);
    algorithm = decodeProtectedHeader(key).alg;
  } catch {
    return { kind: 'not-a-key', strayCharacters, findings: [...findings, 'neither a JWT nor a legacy n8n_api_ key'] };
  }
  const result: KeyInspection = {
    kind: 'jwt',
    strayCharacters,
    algorithm,
    claims: { sub: payload.sub, iss: payload.iss, aud: payload.aud, jti: payload.jti },
    findings,
  };
  const signaturePart = key.split('.')[2] ?? '';
  if (Buffer.from(signaturePart, 'base64url').toString('base64url') !== signaturePart) {
    result.altered = true;
    findings.push('the signature part is not canonical base64url: a character of the key was changed');
  }
  if (payload.iss !== 'n8n' || payload.aud !== 'public-api') findings.push(`issuer/audience ${payload.iss}/${String(payload.aud)}: not an n8n public API key`);
  if (typeof payload.iat === 'number') {
    result.iat = timeClaim(payload.iat, now);
    if (result.iat.aheadBySeconds > 0) findings.push(`iat is ${result.iat.aheadBySeconds} s ahead of the reference clock: the issuing n8n's clock ran ahead`);
  }
  if (typeof payload.exp === 'number') {
    const exp = timeClaim(payload.exp, now);
    result.exp = { ...exp, expired: exp.aheadBySeconds <= 0 };
    findings.push(
      result.exp.expired ? `expired ${-exp.aheadBySeconds} s ago by the reference clock` : `expires in ${exp.aheadBySeconds} s by the reference clock`,
    );
  }
  const secret = opts.jwtSecret ?? (opts.encryptionKey ? deriveJwtSecret(opts.encryptionKey) : undefined);
  if (secret) {
    const against = opts.jwtSecret ? 'jwt-secret' : 'encryption-key';
    try {
      await compactVerify(key, new TextEncoder().encode(secret));
      result.signature = {
        against,
        valid: true,
        detail: `signed with the ${against === 'jwt-secret' ? 'given JWT secret' : 'secret derived from the given encryption key'}`,
      };
    } catch (err) {
      result.signature = { against, valid: false, detail: `not signed by this ${against}: ${(err as Error).message}` };
    }
    findings.push(result.signature.detail);
  }
  return result;
}
