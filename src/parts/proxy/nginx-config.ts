import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NginxConfFile } from 'nginx-conf';
import { FIXTURES_DIR } from '../images/paths.ts';

/** A parsed NGINX config: a scenario states its fault as a change to this tree, never as an edited string. */
export type NginxTree = NginxConfFile;
type NginxConfItem = NginxConfFile['nginx'];

export type NginxTemplate = 'guide-example' | 'hardened' | 'path-prefix' | 'two-hops';

/** Where a TLS site's certificate and key sit in the NGINX container (StartedNginxContainer.installCertificate puts them there). */
export const NGINX_TLS_DIR = '/etc/nginx/authlab-tls';
export const NGINX_TLS_FILES = { cert: `${NGINX_TLS_DIR}/cert.pem`, key: `${NGINX_TLS_DIR}/key.pem` } as const;

export function parseNginx(source: string): Promise<NginxTree> {
  return new Promise((resolve, reject) =>
    NginxConfFile.createFromSource(source, (err, conf) => (err || !conf ? reject(err ?? new Error('unparsable NGINX config')) : resolve(conf))),
  );
}

async function loadTemplate(name: NginxTemplate): Promise<NginxTree> {
  return parseNginx(await readFile(join(FIXTURES_DIR, 'nginx', `${name}.conf`), 'utf8'));
}

export function server(tree: NginxTree): NginxConfItem {
  const s = tree.nginx.server?.[0];
  if (!s) throw new Error('the NGINX config has no server block');
  return s;
}

/** The `location /` block (or the first location). */
export function rootLocation(tree: NginxTree): NginxConfItem {
  const locations = server(tree).location ?? [];
  const l = locations.find((x) => String(x._value).trim() === '/') ?? locations[0];
  if (!l) throw new Error('the NGINX config has no location block');
  return l;
}

/** A change to a config tree: what a fault or a fix does to the proxy. */
export type NginxEdit = (tree: NginxTree) => void;

export const edits = {
  /** NGINX serves the site with TLS on the port it already listens on (and publishes). */
  tls: ((t) => {
    const s = server(t);
    const listen = s.listen?.[0];
    if (!listen) throw new Error('the NGINX config has no listen directive');
    listen._value = `${String(listen._value).trim()} ssl`;
    s._add('ssl_certificate', NGINX_TLS_FILES.cert);
    s._add('ssl_certificate_key', NGINX_TLS_FILES.key);
  }) as NginxEdit,
  /** The guide's fix line (section 4 step 8, section 5). */
  guideFixLine: ((t) => void rootLocation(t)._add('proxy_set_header', 'x-n8n-api-key $http_x_n8n_api_key')) as NginxEdit,
  blankKeyHeader: ((t) => void rootLocation(t)._add('proxy_set_header', 'X-N8N-API-KEY ""')) as NginxEdit,
  removeBlankKeyHeader: ((t) => removeDirective(rootLocation(t), 'proxy_set_header', (v) => /^X-N8N-API-KEY\s+""$/i.test(v))) as NginxEdit,
  passRequestHeadersOff: ((t) => void rootLocation(t)._add('proxy_pass_request_headers', 'off')) as NginxEdit,
  removePassRequestHeadersOff: ((t) => removeDirective(rootLocation(t), 'proxy_pass_request_headers', () => true)) as NginxEdit,
  underscoresOn: ((t) => void server(t)._add('underscores_in_headers', 'on')) as NginxEdit,
  denyAll: ((t) => void rootLocation(t)._add('deny', 'all')) as NginxEdit,
  removeDeny: ((t) => removeDirective(rootLocation(t), 'deny', () => true)) as NginxEdit,
  smallHeaderBuffers: ((t) => void server(t)._add('large_client_header_buffers', '2 1k')) as NginxEdit,
  largeHeaderBuffers: ((t) => removeDirective(server(t), 'large_client_header_buffers', () => true)) as NginxEdit,
  /** A location that sets one header of its own: the inheritance trap. */
  locationSetsForwardedProto: ((t) => void rootLocation(t)._add('proxy_set_header', 'X-Forwarded-Proto $scheme')) as NginxEdit,
  /** `proxy_pass http://n8n:5678/;`: NGINX replaces the location prefix with `/`. */
  stripPrefix: ((t) => {
    const pass = rootLocation(t).proxy_pass?.[0];
    if (!pass) throw new Error('the location has no proxy_pass');
    pass._value = `${String(pass._value).replace(/\/$/, '')}/`;
  }) as NginxEdit,
  forwardedFor: ((t) => void rootLocation(t)._add('proxy_set_header', 'X-Forwarded-For $proxy_add_x_forwarded_for')) as NginxEdit,
  staticKey:
    (key: string): NginxEdit =>
    (t) =>
      void rootLocation(t)._add('proxy_set_header', `X-N8N-API-KEY ${key}`),
  /** proxy_pass to another host on the same port: another n8n instance. */
  upstreamHost:
    (host: string): NginxEdit =>
    (t) => {
      const pass = rootLocation(t).proxy_pass?.[0];
      if (!pass) throw new Error('the location has no proxy_pass');
      pass._value = String(pass._value).replace(/^(https?:\/\/)[^:/]+/, `$1${host}`);
    },
  /** The site forwards only this path prefix (its `location /` becomes `location <prefix>`); the rest is NGINX's own 404. */
  onlyPrefix:
    (prefix: string): NginxEdit =>
    (t) => {
      rootLocation(t)._value = prefix;
    },
  /** Each prefix gets a location of its own, proxied as the first location is (its proxy_pass and headers). */
  alsoForward:
    (...prefixes: string[]): NginxEdit =>
    (t) => {
      const first = rootLocation(t);
      for (const prefix of prefixes) {
        const s = server(t);
        s._add('location', prefix);
        const added = s.location?.at(-1);
        if (!added) throw new Error(`could not add location ${prefix}`);
        for (const name of ['proxy_pass', 'proxy_set_header']) for (const d of first[name] ?? []) added._add(name, String(d._value));
      }
    },
  removeStaticKey: ((t) =>
    removeDirective(rootLocation(t), 'proxy_set_header', (v) => /^X-N8N-API-KEY\s+(?!"")\S+$/i.test(v) && !v.includes('$'))) as NginxEdit,
};

function removeDirective(block: NginxConfItem, name: string, match: (value: string) => boolean): void {
  const items = block[name] ?? [];
  for (let i = items.length - 1; i >= 0; i--) if (match(String(items[i]!._value))) block._remove(name, i);
}

/** A fresh tree from a template with edits applied, rendered. */
export async function renderNginx(template: NginxTemplate, ...changes: NginxEdit[]): Promise<string> {
  const tree = await loadTemplate(template);
  for (const change of changes) change(tree);
  return tree.toString();
}
