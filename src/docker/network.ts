import { getContainerRuntimeClient, StartedNetwork } from 'testcontainers';
import { runLabels } from './labels.ts';

/** One bridge network per stack, labeled like everything else (testcontainers' Network takes no labels). */
export async function startStackNetwork(stack: string): Promise<StartedNetwork> {
  const client = await getContainerRuntimeClient();
  const name = `authlab-${stack}-${Math.random().toString(36).slice(2, 8)}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
  const network = await client.container.dockerode.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: runLabels(stack) });
  return new StartedNetwork(client, name, network);
}
