import { DEFAULT_N8N_VERSIONS } from '../parts/images/n8n-versions.ts';
import { serveLab } from '../features/lab/lab-daemon.ts';
import { parseHostPort } from '../parts/stack/host-port.ts';
import { UserError } from '../base/user-error.ts';
import type { LAB_SERVE_OPTIONS } from './command-options.ts';
import { imageOptionsFromFlags } from './image-flags.ts';
import type { Values } from './options.ts';

const defaultVersion = () => DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!;

/** The lab's own detached process (started by `authlab lab <id>`). */
export async function run(values: Values<typeof LAB_SERVE_OPTIONS>, args: string[]): Promise<number> {
  const id = args[0];
  if (!id) throw new UserError('lab-serve needs a scenario id');
  const images = imageOptionsFromFlags(values, (l) => process.stdout.write(`  … ${l}\n`));
  await serveLab(id, values.n8n ?? defaultVersion(), images, { proxyPort: values.port === undefined ? undefined : parseHostPort(values.port) });
  return await new Promise<number>(() => undefined); // serves until --down or a signal ends the process
}
