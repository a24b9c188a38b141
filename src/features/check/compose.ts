import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parse as parseDotenv } from 'dotenv';
import { UserError } from '../../base/user-error.ts';
import { interpolateDeep, projectVariables } from './interpolate.ts';

/** What the tool cannot reproduce, in one line a user can act on. */
export class UnreproducibleError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UnreproducibleError';
  }
}

export interface ComposeVolume {
  /** A named volume or a host path; undefined for an anonymous volume. */
  source?: string;
  target: string;
  /** A bind mount's host path, resolved against the compose file's folder. */
  hostPath?: string;
}

export interface ComposeService {
  name: string;
  image?: string;
  build?: unknown;
  command: string[];
  /** environment: and env_file:, interpolated, as the container gets them. */
  env: Record<string, string>;
  volumes: ComposeVolume[];
  /** The names other services reach it by besides its own: container_name, hostname, network aliases. */
  aliases?: string[];
  /** network_mode as written (`service:n8n` shares that service's network namespace). */
  networkMode?: string;
  /** labels:, as a map (Traefik's routers and middlewares live here). */
  labels: Record<string, string>;
}

export interface ComposeProject {
  file: string;
  services: ComposeService[];
}

/** environment: as a list or a map; a name without a value takes it from compose's variables (the shell, then .env). */
function envList(value: unknown, vars: Record<string, string | undefined>): Record<string, string> {
  if (!value) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => String(entry)).map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, vars[e] ?? ''])),
    );
  }
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? (vars[k] ?? '') : String(v)]));
}

/** A bind mount's source: a path (`./x`, `/x`, `~/x`), not a named volume. */
const isHostPath = (source: string) => /^(\.{1,2}(\/|$)|\/|~)/.test(source);

function volumeOf(v: unknown, dir: string): ComposeVolume {
  let volume: ComposeVolume;
  if (typeof v === 'string') {
    const parts = v.split(':');
    volume = parts.length === 1 ? { target: parts[0]! } : { source: parts[0], target: parts[1]! };
  } else {
    const o = v as { source?: string; target?: string };
    if (!o.target) throw new UnreproducibleError(`a volume without a target: ${JSON.stringify(v)}`);
    volume = { source: o.source, target: o.target };
  }
  const source = volume.source;
  if (source && isHostPath(source)) volume.hostPath = resolve(dir, source.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
  return volume;
}

/** labels: as a list of `key=value` or as a map. */
function labelsOf(value: unknown): Record<string, string> {
  if (Array.isArray(value))
    return Object.fromEntries(value.map(String).map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, ''])));
  return value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : String(v)])) : {};
}

function aliasesOf(spec: Record<string, unknown>): string[] {
  const networks = spec.networks && !Array.isArray(spec.networks) ? Object.values(spec.networks as Record<string, { aliases?: unknown } | null>) : [];
  const named = [spec.container_name, spec.hostname, ...networks.flatMap((n) => (Array.isArray(n?.aliases) ? n.aliases : []))];
  return named.filter((n): n is string => typeof n === 'string');
}

function commandOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : [];
}

/**
 * Reads a compose file the way `docker compose` does for what matters here: the project's `.env`
 * (or --env-file) interpolated, each service's env_file: then environment:, its volumes and command.
 */
export async function readCompose(file: string, envFile?: string): Promise<ComposeProject> {
  const dir = dirname(resolve(file));
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UnreproducibleError(`cannot read ${file}: ${err.code ?? err.message}`);
  });
  const projectEnv: Record<string, string> = await readFile(envFile ?? resolve(dir, '.env'), 'utf8').then(parseDotenv, (err: NodeJS.ErrnoException) => {
    if (envFile) throw new UnreproducibleError(`cannot read ${envFile}: ${err.code ?? err.message}`);
    return {};
  });
  let doc: unknown;
  try {
    doc = parseYaml(text, { merge: true });
  } catch (err) {
    throw new UnreproducibleError(`${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const raw = (doc as { services?: Record<string, Record<string, unknown>> } | null)?.services;
  if (!raw || typeof raw !== 'object') throw new UnreproducibleError(`${file} has no services:`);
  const vars = projectVariables(projectEnv, process.env);
  const services: ComposeService[] = [];
  for (const [name, spec] of Object.entries(interpolateDeep(raw, vars) as Record<string, Record<string, unknown>>)) {
    const files = spec.env_file === undefined ? [] : Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file];
    let env: Record<string, string> = {};
    for (const f of files) {
      const path = resolve(dir, typeof f === 'string' ? f : String((f as { path?: string }).path));
      const content = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new UnreproducibleError(`service ${name}: cannot read its env_file ${path}: ${err.code ?? err.message}`);
      });
      env = { ...env, ...parseDotenv(content) };
    }
    services.push({
      name,
      image: typeof spec.image === 'string' ? spec.image : undefined,
      build: spec.build,
      command: commandOf(spec.command),
      env: { ...env, ...envList(spec.environment, vars) },
      volumes: ((spec.volumes as unknown[]) ?? []).map((v) => volumeOf(v, dir)),
      labels: labelsOf(spec.labels),
      aliases: aliasesOf(spec),
      networkMode: typeof spec.network_mode === 'string' ? spec.network_mode : undefined,
    });
  }
  return { file, services };
}
