import { DEFAULT_N8N_VERSIONS } from '../../src/parts/images/n8n-versions.ts';

/** The versions a test run covers: AUTHLAB_N8N_VERSIONS=1.116.2,2.41.0 (the default). */
export function testVersions(): string[] {
  const list = (process.env.AUTHLAB_N8N_VERSIONS ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return list.length ? list : [...DEFAULT_N8N_VERSIONS];
}
