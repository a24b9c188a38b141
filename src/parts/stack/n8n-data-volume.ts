import { docker } from '../../docker/docker.ts';
import { runLabels } from '../../docker/labels.ts';

/** A named volume for n8n's data folder, labeled so the sweep finds it. */
export async function createDataVolume(stack?: string): Promise<string> {
  const engine = await docker();
  const volume = await engine.createVolume({ Name: `authlab-n8n-data-${Math.random().toString(36).slice(2, 10)}`, Labels: runLabels(stack) });
  return (volume as unknown as { name: string }).name;
}

export async function removeVolume(name: string): Promise<void> {
  const engine = await docker();
  await engine
    .getVolume(name)
    .remove({ force: true })
    .catch(() => undefined);
}
