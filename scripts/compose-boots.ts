// n8n containers docker compose starts (the labs' compose exports, `authlab lab --compose`) do not
// go through N8nContainer and write no boot log line: the test command's bench counts them from the
// engine's events instead.
import { docker } from '../src/docker/docker.ts';
import { versionOfImage } from './boot-bound.ts';

export interface ComposeBoot {
  /** When the container started (ms since the epoch). */
  atMs: number;
  version: string;
  image: string;
  project: string;
}

interface ContainerEvent {
  Type?: string;
  Action?: string;
  timeNano?: number;
  time?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

const N8N_IMAGE = /^(.*\/)?(n8n|n8n-[a-z0-9-]+):[^/:]+$/;

/** An n8n container started by docker compose, from an engine event; undefined for anything else. */
export function composeBootOf(event: ContainerEvent): ComposeBoot | undefined {
  const attributes = event.Actor?.Attributes ?? {};
  const image = attributes.image ?? '';
  const project = attributes['com.docker.compose.project'];
  if (event.Type !== 'container' || event.Action !== 'start' || !project || !N8N_IMAGE.test(image)) return undefined;
  const atMs = event.timeNano ? Math.round(event.timeNano / 1e6) : (event.time ?? 0) * 1000;
  return { atMs, version: versionOfImage(image), image, project };
}

/** Follows the engine's container start events until `stop`, which returns the compose n8n containers seen. */
export async function watchComposeBoots(): Promise<{ stop: () => ComposeBoot[] }> {
  const seen: ComposeBoot[] = [];
  const stream = (await (
    await docker()
  ).getEvents({
    filters: JSON.stringify({ type: ['container'], event: ['start'] }),
  } as object)) as NodeJS.ReadableStream & { destroy?: () => void };
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const boot = line.trim() ? composeBootOf(JSON.parse(line) as ContainerEvent) : undefined;
        if (boot) seen.push(boot);
      } catch {
        // a line that is not an event
      }
    }
  });
  stream.on('error', () => undefined);
  return { stop: () => (stream.destroy?.(), seen) };
}
