import { resolveN8nVersion } from '../parts/images/n8n-versions.ts';
import { progress } from './io.ts';

/** Versions as the user wrote them (1.123.x, latest, ...) resolved, saying what each became. */
export async function resolvedVersions(specs: string[], dedupe = true): Promise<string[]> {
  const resolved: string[] = [];
  for (const spec of specs) {
    const version = await resolveN8nVersion(spec);
    if (version !== spec) progress(`n8n ${spec}: ${version}`);
    resolved.push(version);
  }
  return dedupe ? [...new Set(resolved)] : resolved;
}
