import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import '../../docker/docker.ts';
import { runLabels } from '../../docker/labels.ts';

const LOOPBACK = '127.0.0.1';

/**
 * A GenericContainer that publishes its ports on 127.0.0.1 only (a lab stack must never be
 * reachable from the network) and carries the project's labels, so the sweep finds it.
 */
export class LoopbackContainer extends GenericContainer {
  constructor(image: string, stack?: string) {
    super(image);
    this.withLabels(runLabels(stack));
  }

  protected override async beforeContainerCreated(): Promise<void> {
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {}) as Array<Array<{ HostIp?: string }>>) {
      for (const binding of bindings) binding.HostIp = LOOPBACK;
    }
  }
}

/** The URL of a published port; ports are bound to 127.0.0.1 only, so "localhost" is pinned to it. */
export function loopbackUrl(container: Pick<StartedTestContainer, 'getHost' | 'getMappedPort'>, port: number): string {
  const host = container.getHost() === 'localhost' ? LOOPBACK : container.getHost();
  return `http://${host}:${container.getMappedPort(port)}`;
}
