import { describe, expect, test } from 'vitest';
import { edits, renderNginx } from '../../src/parts/proxy/nginx-config.ts';

describe('proxy faults are changes to a config tree', () => {
  test("the guide's fix line lands in the location block", async () => {
    const conf = await renderNginx('guide-example', edits.guideFixLine);
    expect(conf).toMatch(/location \/ \{[^}]*proxy_set_header x-n8n-api-key \$http_x_n8n_api_key;[^}]*\}/);
  });

  test('a fault and its removal give back the template', async () => {
    expect(await renderNginx('guide-example', edits.blankKeyHeader, edits.removeBlankKeyHeader)).toBe(await renderNginx('guide-example'));
    expect(await renderNginx('guide-example', edits.denyAll, edits.removeDeny)).toBe(await renderNginx('guide-example'));
  });

  test('removing a static key keeps the forwarding line', async () => {
    const conf = await renderNginx('guide-example', edits.guideFixLine, edits.staticKey('secret-value-123'), edits.removeStaticKey);
    expect(conf).not.toContain('secret-value-123');
    expect(conf).toContain('$http_x_n8n_api_key');
  });

  test('the inheritance trap adds a location-level line under a server-level allow-list', async () => {
    const conf = await renderNginx('hardened', edits.locationSetsForwardedProto);
    expect(conf).toMatch(/server \{[^]*proxy_set_header X-N8N-API-KEY \$http_x_n8n_api_key;[^]*location \/ \{[^}]*X-Forwarded-Proto/);
  });

  test('stripping the prefix adds the trailing slash to proxy_pass', async () => {
    expect(await renderNginx('path-prefix', edits.stripPrefix)).toContain('proxy_pass http://n8n:5678/;');
  });

  test('a site that forwards only a prefix, and the locations added beside it, proxied alike', async () => {
    const only = await renderNginx('guide-example', edits.onlyPrefix('/mcp-server/'));
    expect(only).toMatch(/location \/mcp-server\/ \{[^}]*proxy_pass http:\/\/n8n:5678;/);
    expect(only).not.toMatch(/location \/ \{/);
    const fixed = await renderNginx('guide-example', edits.onlyPrefix('/mcp-server/'), edits.alsoForward('/.well-known/', '/mcp-oauth/'));
    for (const prefix of ['/.well-known/', '/mcp-oauth/']) {
      expect(fixed).toMatch(new RegExp(`location ${prefix.replace(/[./]/g, '\\$&')} \\{[^}]*proxy_pass http://n8n:5678;[^}]*proxy_set_header Host \\$host;`));
    }
  });
});
