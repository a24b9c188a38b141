import { resolveAuthlabImage } from '../parts/images/authlab-image.ts';
import { resolveN8nImage } from '../parts/images/n8n-image.ts';
import { docker } from '../docker/docker.ts';
import { UserError } from '../base/user-error.ts';
import type { IMAGES_OPTIONS } from './command-options.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import { out, progress } from './io.ts';
import { splitList, type Values } from './options.ts';
import { resolvedVersions } from './versions-option.ts';

export async function run(values: Values<typeof IMAGES_OPTIONS>): Promise<number> {
  if (!splitList(values.n8n).length && !values.authlab) throw new UserError('images needs --n8n <v1,v2>, --authlab, or both');
  const opts = imageOptionsFromFlags(values, progress);
  const versions = await resolvedVersions(splitList(values.n8n));
  await docker();
  for (const v of versions) out(`n8n ${v}: ${await resolveN8nImage(v, opts)}`);
  if (values.authlab) out(`authlab: ${await resolveAuthlabImage(opts)}`);
  return 0;
}
