import { DEFAULT_N8N_VERSIONS } from '../../src/parts/images/n8n-versions.ts';

/** The versions a test run has images of: AUTHLAB_N8N_VERSIONS=1.116.2,2.41.0 (the default). */
export function testVersions(): string[] {
  const list = (process.env.AUTHLAB_N8N_VERSIONS ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return list.length ? list : [...DEFAULT_N8N_VERSIONS];
}

/**
 * The versions the guide suites run the catalogue on: each of AUTHLAB_N8N_VERSIONS when it is set,
 * else the newest default alone. The catalogue on the older default too doubles its boots and
 * would not fit CI's 90 minutes; what the catalogue does on other versions is the versions ledger's
 * job (`npm run versions-ledger`, docs/versions), and `AUTHLAB_N8N_VERSIONS=1.116.2,2.41.0 npm test`
 * tests it on both.
 */
export function guideVersions(): string[] {
  return process.env.AUTHLAB_N8N_VERSIONS?.trim() ? testVersions() : testVersions().slice(-1);
}
