import { Secret, TOTP } from 'otpauth';
import { describe, expect, test } from 'vitest';
import { totpCode, wrongCode } from '../../src/families/mfa/support.ts';

/** n8n's own check (mfa/totp.service.js, both versions): otpauth's TOTP defaults, `window: 2`, on n8n's clock. */
function n8nAccepts(secret: string, code: string, n8nClockMs: number): boolean {
  return new TOTP({ secret: Secret.fromBase32(secret) }).validate({ token: code, timestamp: n8nClockMs, window: 2 }) !== null;
}

const secrets = Array.from({ length: 20 }, () => new Secret().base32);
const now = Date.now();

describe("the mfa family's codes", () => {
  test("an authenticator's current code passes n8n's check on true time, and on a clock up to a minute off", () => {
    for (const secret of secrets) {
      const code = totpCode(secret, now);
      expect(n8nAccepts(secret, code, now)).toBe(true);
      expect(n8nAccepts(secret, code, now + 55_000)).toBe(true);
      expect(n8nAccepts(secret, code, now - 55_000)).toBe(true);
    }
  });

  test("on a clock 5 minutes ahead the current code is refused, and the code of 5 minutes later passes (mfa.server-clock-skewed's premise)", () => {
    const ahead = now + 300_000;
    for (const secret of secrets) {
      expect(n8nAccepts(secret, totpCode(secret, now), ahead)).toBe(false);
      expect(n8nAccepts(secret, totpCode(secret, ahead), ahead)).toBe(true);
    }
  });

  test("a wrong code is six digits that n8n's check refuses around now", () => {
    for (const secret of secrets) {
      const code = wrongCode(secret);
      expect(code).toMatch(/^\d{6}$/);
      expect(n8nAccepts(secret, code, Date.now())).toBe(false);
    }
  });
});
