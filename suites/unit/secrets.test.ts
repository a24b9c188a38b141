import { describe, expect, test } from 'vitest';
import { record } from '../../src/parts/client/exchange.ts';
import { mask, maskDeep, registerSecret } from '../../src/base/secrets.ts';

describe('secrets are masked in everything printed', () => {
  test('a registered key is replaced, keeping only its last four characters', () => {
    registerSecret('sk-very-secret-value-1234', 'api-key');
    expect(mask('header: sk-very-secret-value-1234\\n')).toBe('header: <api-key …1234>\\n');
  });

  test('a JWT-shaped string is masked even when nobody registered it', () => {
    // Assembled at run time, so no JWT-shaped literal sits in the source.
    const jwt = [Buffer.from('{"alg":"HS256"}').toString('base64url'), Buffer.from('{"sub":"1234567890"}').toString('base64url'), 'a'.repeat(20)].join('.');
    expect(mask(`key=${jwt}`)).not.toContain(jwt);
  });

  test('recorded exchanges never hold the key', () => {
    registerSecret('another-secret-key-9876', 'api-key');
    const e = record({
      label: 'x',
      via: 'raw-socket',
      request: {
        method: 'GET',
        url: 'http://h/?api_key=another-secret-key-9876',
        headers: [['X-N8N-API-KEY', 'another-secret-key-9876']],
        wire: 'X-N8N-API-KEY: another-secret-key-9876',
      },
      response: { status: 401, body: 'another-secret-key-9876' },
    });
    expect(JSON.stringify(e)).not.toContain('another-secret-key-9876');
    expect(JSON.stringify(maskDeep({ nested: ['another-secret-key-9876'] }))).not.toContain('another-secret-key-9876');
  });
});
