import { sweep } from '../docker/cleanup.ts';
import type { SWEEP_OPTIONS } from './command-options.ts';
import { out } from './io.ts';
import type { Values } from './options.ts';

export async function run(values: Values<typeof SWEEP_OPTIONS>): Promise<number> {
  const r = await sweep({ scope: values.all ? 'all' : 'orphans' });
  out(`removed ${r.containers} container(s), ${r.networks} network(s), ${r.volumes} volume(s)`);
  return 0;
}
