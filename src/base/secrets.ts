import { createHash } from 'node:crypto';

/**
 * Every secret the project handles (API keys, passwords, encryption keys) is registered here, and
 * everything it prints, logs or writes to a report goes through `mask` first.
 */
const registered = new Map<string, string>();

// A JWT (what n8n API keys are) is masked even if nobody registered it.
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
const LEGACY_KEY = /n8n_api_[0-9a-f]{16,}/g;

export type SecretKind = 'api-key' | 'password' | 'encryption-key' | 'jwt-secret' | 'secret';

export function registerSecret(value: string, kind: SecretKind = 'secret'): string {
  const trimmed = value.trim();
  if (trimmed.length >= 6) registered.set(trimmed, kind);
  return value;
}

/** Every secret registered in this process (for a leak check of what it wrote). */
export function registeredSecrets(): string[] {
  return [...registered.keys()];
}

function placeholder(kind: string, value: string): string {
  return `<${kind} …${value.slice(-4)}>`;
}

export function mask(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const [value, kind] of [...registered].sort((a, b) => b[0].length - a[0].length)) {
    if (out.includes(value)) out = out.split(value).join(placeholder(kind, value));
  }
  return out.replace(JWT, (m) => placeholder('jwt', m)).replace(LEGACY_KEY, (m) => placeholder('api-key', m));
}

/** Masks every string inside a JSON-able value (for reports). */
export function maskDeep<T>(value: T): T {
  return JSON.parse(mask(JSON.stringify(value))) as T;
}

/** A short, safe fingerprint of a secret for evidence (never the secret). */
export function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 10)}`;
}
