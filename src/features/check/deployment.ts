import { randomBytes } from 'node:crypto';
import { didYouMean } from '../../base/did-you-mean.ts';
import { registerSecret } from '../../base/secrets.ts';
import { UnreproducibleError, type ComposeProject, type ComposeService } from './compose.ts';

const N8N_IMAGE = /^(?:(?:docker\.n8n\.io|docker\.io)\/)?n8nio\/n8n(?::([^@\s]+))?(?:@.*)?$/;
const N8N_DATA = '/home/node/.n8n';
const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN/i;
/** Settings the test stack owns (its database, queue, port, TLS): the file's values are not used. */
const STACK_OWNED = /^(DB_|QUEUE_BULL_|N8N_PORT$|N8N_LISTEN_ADDRESS$|N8N_SSL_|EXECUTIONS_MODE$|N8N_ENCRYPTION_KEY(_FILE)?$)/;

/** The n8n of a compose project, as far as API keys and credentials care. */
export interface Deployment {
  file: string;
  main: ComposeService;
  workers: ComposeService[];
  /** The version as written: an exact one, a major or minor line, or a moving tag (stable, latest, beta, next). */
  version: string;
  /** Where the version came from: the image's tag in the file, or --n8n. */
  versionFrom: 'image' | 'flag';
  /** A volume (named or bound) at /home/node/.n8n: the settings file and SQLite survive a recreate. */
  dataPersisted: boolean;
  database: 'sqlite' | 'postgres';
  /** N8N_ENCRYPTION_KEY or N8N_ENCRYPTION_KEY_FILE is set. */
  explicitKey: boolean;
}

const isN8n = (s: ComposeService) => s.image !== undefined && N8N_IMAGE.test(s.image);
const isWorker = (s: ComposeService) => s.command.includes('worker');

/** Finds n8n (and its queue workers) in a compose project; what it cannot tell is named in one line. */
export function deploymentOf(project: ComposeProject, opts: { service?: string; version?: string }): Deployment {
  for (const s of project.services)
    for (const [k, v] of Object.entries(s.env)) if (SECRET_NAME.test(k) && v) registerSecret(v, k.includes('ENCRYPTION') ? 'encryption-key' : 'secret');
  let main: ComposeService | undefined;
  if (opts.service) {
    main = project.services.find((s) => s.name === opts.service);
    if (!main) {
      const names = project.services.map((s) => s.name);
      throw new UnreproducibleError(`${project.file} has no service "${opts.service}"${didYouMean(opts.service, names)}; services: ${names.join(', ')}`);
    }
  } else {
    const byImage = project.services.filter((s) => isN8n(s) && !isWorker(s));
    // A service built from a Dockerfile is n8n when it is called so; its version is asked for below.
    const mains = byImage.length ? byImage : project.services.filter((s) => s.name === 'n8n');
    if (mains.length !== 1)
      throw new UnreproducibleError(
        `${project.file}: ${mains.length ? `${mains.length} n8n services (${mains.map((s) => s.name).join(', ')})` : 'no service runs the n8nio/n8n image'}; name the main one with --service`,
      );
    main = mains[0]!;
  }
  const image = main.image ? N8N_IMAGE.exec(main.image) : null;
  // A tag as Docker reads it: none is latest; 1.123 or 2 is the newest release in it, stable or next an npm dist-tag (resolved later).
  const tag = image ? (image[1] ?? 'latest') : undefined;
  const version = opts.version ?? (tag && /^(\d+(\.\d+){0,2}|latest|stable|beta|next)$/.test(tag) ? tag : undefined);
  if (!version) {
    const what =
      main.build !== undefined && !main.image
        ? 'is built from a Dockerfile (build:)'
        : main.image && !N8N_IMAGE.test(main.image)
          ? `runs ${main.image}, not n8nio/n8n`
          : `runs ${main.image}, whose tag names no version`;
    throw new UnreproducibleError(`service ${main.name} ${what}; give --n8n <version> to check it as that n8n version`);
  }
  const dbType = main.env.DB_TYPE ?? 'sqlite';
  if (!['sqlite', 'postgresdb'].includes(dbType))
    throw new UnreproducibleError(`service ${main.name}: DB_TYPE=${dbType} cannot be reproduced (sqlite and postgresdb can)`);
  return {
    file: project.file,
    main,
    workers: project.services.filter((s) => s !== main && isN8n(s) && isWorker(s)),
    version,
    versionFrom: opts.version ? 'flag' : 'image',
    dataPersisted: main.volumes.some((v) => v.source !== undefined && v.target.replace(/\/$/, '') === N8N_DATA),
    database: dbType === 'postgresdb' ? 'postgres' : 'sqlite',
    explicitKey: Boolean(main.env.N8N_ENCRYPTION_KEY || main.env.N8N_ENCRYPTION_KEY_FILE),
  };
}

/**
 * n8n's env for the test stack: the file's settings, minus what the stack owns, with every other
 * secret replaced by a generated test value (the check never needs the real one).
 */
export function testEnv(d: Deployment): Record<string, string> {
  return Object.fromEntries(
    Object.entries(d.main.env)
      .filter(([k]) => !STACK_OWNED.test(k))
      .map(([k, v]) => [k, SECRET_NAME.test(k) && v ? registerSecret(randomBytes(24).toString('hex'), 'secret') : v]),
  );
}
