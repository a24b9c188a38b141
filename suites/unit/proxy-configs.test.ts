import { describe, expect, test } from 'vitest';
import { renderCaddyfile } from '../../src/parts/proxy/caddyfile.ts';
import { renderTraefik } from '../../src/parts/proxy/traefik-config.ts';

describe('Caddy and Traefik sites are rendered from data', () => {
  test('a plain Caddy site is one reverse_proxy line', () => {
    expect(renderCaddyfile()).toContain('\treverse_proxy n8n:5678\n');
  });

  test('header_up lines: a value is quoted, a removal has none', () => {
    const file = renderCaddyfile({ headerUp: [['-X-N8N-API-KEY'], ['X-N8N-API-KEY', '{header.X-N8N-API-KEY}']] });
    expect(file).toContain('\t\theader_up -X-N8N-API-KEY\n');
    expect(file).toContain('\t\theader_up X-N8N-API-KEY "{header.X-N8N-API-KEY}"\n');
  });

  test("the guide's Traefik example becomes a customRequestHeaders middleware on the router", () => {
    const yml = renderTraefik({ customRequestHeaders: { 'x-n8n-api-key': 'the-key' } });
    expect(yml).toContain('      middlewares: [n8n-headers]');
    expect(yml).toContain('          x-n8n-api-key: "the-key"');
    expect(renderTraefik()).not.toContain('middlewares');
  });
});
