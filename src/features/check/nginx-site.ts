import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseNginx, type NginxTree } from '../../parts/proxy/nginx-config.ts';
import { UnreproducibleError } from './compose.ts';
import type { ApiRoute, ReproducedProxy } from './reproduced-proxy.ts';

type Block = NginxTree['nginx'];

/** The test stack's n8n as the proxy reaches it (the tap takes this alias). */
const TEST_UPSTREAM = 'n8n:5678';
/** Includes the offline NGINX image has, as Debian's package ships them. */
const KNOWN_INCLUDES = /^(\/etc\/nginx\/)?(mime\.types|proxy_params)$/;
/** Directives that gate a request on something the test cannot be (a certificate, a login). */
const UNSUPPORTED = ['auth_request', 'auth_basic', 'ssl_verify_client', 'auth_jwt', 'perl', 'js_content', 'lua_need_request_body'];

/** The user's NGINX config as the test runs it. */
export type ReproducedNginx = ReproducedProxy & { kind: 'nginx'; underscoresInHeaders: boolean };

const directives = (b: Block) => Object.keys(b).filter((k) => !k.startsWith('_') && k !== 'toString');
const items = (b: Block, name: string): Block[] => (b as unknown as Record<string, Block[] | undefined>)[name] ?? [];
const value = (b: Block) => String(b._value ?? '').trim();

function walk(b: Block, visit: (name: string, item: Block) => void): void {
  for (const name of directives(b))
    for (const item of items(b, name)) {
      visit(name, item);
      walk(item, visit);
    }
}

/** A file, or every *.conf in a folder (conf.d style), as one config text. */
export async function readNginxSource(path: string): Promise<string> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new UnreproducibleError(`cannot read ${path}: ${err.code ?? err.message}`);
  });
  if (!info.isDirectory()) return readFile(path, 'utf8');
  const files = (await readdir(path)).filter((f) => f.endsWith('.conf')).sort();
  if (!files.length) throw new UnreproducibleError(`${path} holds no *.conf file`);
  return (await Promise.all(files.map((f) => readFile(join(path, f), 'utf8')))).join('\n');
}

/**
 * The user's NGINX config, made to run in front of the test n8n: only the upstream address is
 * rewritten and TLS is replaced by plain HTTP on port 80; everything else stays as written. What
 * cannot be reproduced is named in one line.
 */
export async function reproduceNginx(source: string, file: string): Promise<ReproducedNginx> {
  let tree: NginxTree;
  try {
    tree = await parseNginx(source);
  } catch (err) {
    throw new UnreproducibleError(`${file}: NGINX config not parsable: ${(err as Error).message}`);
  }
  const http = items(tree.nginx, 'http')[0] ?? tree.nginx;
  walk(http, (name, item) => {
    if (name === 'include' && !KNOWN_INCLUDES.test(value(item)))
      throw new UnreproducibleError(`${file}: "include ${value(item)}" cannot be reproduced here; give the included file's content in one config`);
    if (UNSUPPORTED.includes(name))
      throw new UnreproducibleError(
        `${file}: the directive "${name}" cannot be reproduced here (the test cannot pass it); remove it from a copy to check the rest`,
      );
    if (name === 'proxy_pass' && /^https:/.test(value(item)))
      throw new UnreproducibleError(`${file}: proxy_pass ${value(item)} (TLS to n8n) cannot be reproduced; the test n8n speaks plain HTTP`);
  });
  const changes: string[] = [];
  const proxying = items(http, 'server').filter((s) => {
    let proxies = false;
    walk(s, (name) => (proxies ||= name === 'proxy_pass'));
    return proxies;
  });
  if (!proxying.length) throw new UnreproducibleError(`${file}: no server block proxies to n8n (no proxy_pass)`);
  const tls = (s: Block) => items(s, 'listen').some((l) => /\bssl\b|443/.test(value(l)));
  const server = proxying.find(tls) ?? proxying[0]!;
  const dropped = items(http, 'server').length - 1;
  if (dropped)
    changes.push(
      `kept the server block that proxies to n8n${proxying.length > 1 ? ' and listens with TLS' : ''}; left out ${dropped} other server block(s) (an HTTP->HTTPS redirect, say)`,
    );

  const upstreams = new Set(items(http, 'upstream').map(value));
  for (const up of items(http, 'upstream')) {
    const servers = items(up, 'server');
    for (let i = servers.length - 1; i > 0; i--) up._remove('server', i);
    if (servers[0]) {
      changes.push(`upstream ${value(up)}: ${value(servers[0])} -> ${TEST_UPSTREAM}`);
      servers[0]._value = TEST_UPSTREAM;
    }
  }
  const prefixes = new Set<string>(['']);
  const plain: string[] = [];
  for (const location of items(server, 'location')) {
    const pass = items(location, 'proxy_pass')[0];
    if (!pass) continue;
    const m = /^http:\/\/([^/;]+)(\/.*)?$/.exec(value(pass));
    if (!m) throw new UnreproducibleError(`${file}: proxy_pass ${value(pass)} cannot be reproduced (not http://host[:port][/path])`);
    if (!upstreams.has(m[1]!)) {
      changes.push(`location ${value(location)}: proxy_pass http://${m[1]} -> http://${TEST_UPSTREAM}`);
      pass._value = `http://${TEST_UPSTREAM}${m[2] ?? ''}`;
    }
    const path = value(location);
    if (/^[~=]/.test(path)) continue; // regex and exact locations are reproduced, not probed
    plain.push(path.replace(/^\^~\s*/, ''));
    // A location that strips its prefix (proxy_pass with a URI) serves the API under that prefix.
    if (m[2] !== undefined && path !== '/') prefixes.add(path.replace(/\/$/, ''));
  }
  // Per API path a client may call, the location NGINX picks for it: the longest matching prefix.
  const routes: ApiRoute[] = [...prefixes].flatMap((prefix) => {
    const chosen = plain.filter((l) => `${prefix}/api/v1/workflows`.startsWith(l)).sort((a, b) => b.length - a.length)[0];
    return chosen ? [{ location: chosen, prefix, stripped: true }] : [];
  });
  if (!routes.length) throw new UnreproducibleError(`${file}: no location routes the public API path /api/v1 to n8n`);
  for (const l of items(server, 'listen')) {
    if (value(l) !== '80') changes.push(`listen ${value(l)} -> listen 80 (TLS is replaced: the test has no certificate)`);
  }
  for (let i = items(server, 'listen').length - 1; i >= 0; i--) server._remove('listen', i);
  server._add('listen', '80');
  for (const name of directives(server).filter((d) => d.startsWith('ssl_') || d === 'http2')) {
    for (let i = items(server, name).length - 1; i >= 0; i--) server._remove(name, i);
  }
  const underscores = [...items(http, 'underscores_in_headers'), ...items(server, 'underscores_in_headers')].some((d) => value(d) === 'on');
  const httpLevel = directives(http)
    .filter(
      (d) => !['server', 'upstream', 'include', 'events', 'user', 'worker_processes', 'pid', 'error_log', 'access_log'].includes(d) && !d.startsWith('ssl_'),
    )
    .flatMap((d) => items(http, d).map((i) => (directives(i).length ? String(i) : `${d} ${value(i)};`)));
  const config = [
    `# Reproduced from ${file} by authlab check (${changes.length} change(s); see its report).`,
    ...httpLevel,
    ...items(http, 'upstream').map(String),
    String(server),
  ].join('\n');
  return { kind: 'nginx', source: file, config, changes, routes, underscoresInHeaders: underscores };
}
