import { checkedVersion } from './check-version.ts';
import { readCompose } from './compose.ts';
import { deploymentOf } from './deployment.ts';

/**
 * The n8n release `authlab check` would check a compose file as (its image tag, or `version`,
 * resolved on the npm registry), without Docker: a CI step compares a pull request's with its base's.
 * @example composeN8nVersion({ compose: 'docker-compose.yml' }, progress) // '2.41.0' for n8nio/n8n:2.41.0
 */
export async function composeN8nVersion(
  opts: { compose: string; envFile?: string; service?: string; version?: string },
  progress: (line: string) => void,
): Promise<string> {
  const project = await readCompose(opts.compose, opts.envFile);
  return checkedVersion(deploymentOf(project, { service: opts.service, version: opts.version }), progress);
}
