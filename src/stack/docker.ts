import type Dockerode from 'dockerode';
import { getContainerRuntimeClient } from 'testcontainers';

// Ryuk (testcontainers' reaper) needs an image from a registry, which air-gapped hosts cannot pull;
// the project cleans up by label itself (see cleanup.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

export class DockerUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      'No Docker engine answers. Start one (for example `dockerd &` as root, or `bash containers/host/install-engine.sh` ' +
        'on Debian), or point DOCKER_HOST at a running engine, then run again.',
      { cause },
    );
    this.name = 'DockerUnavailableError';
  }
}

let dockerode: Promise<Dockerode> | undefined;

/** The engine testcontainers talks to, as a dockerode client, with a clear error when there is none. */
export function docker(): Promise<Dockerode> {
  dockerode ??= getContainerRuntimeClient().then(
    (client) => client.container.dockerode,
    (err: unknown) => {
      dockerode = undefined;
      throw new DockerUnavailableError(err);
    },
  );
  return dockerode;
}
