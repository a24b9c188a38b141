import { UnreproducibleError } from './compose.ts';
import type { ApiRoute, ReproducedProxy } from './reproduced-proxy.ts';

/** The test stack's n8n as the proxy reaches it (the tap takes this alias). */
const TEST_UPSTREAM = 'n8n:5678';
/** Directives that gate a request on something the test cannot be (a login, a certificate). */
const UNSUPPORTED = ['forward_auth', 'basicauth', 'basic_auth', 'jwtauth'];

/** A top-level block of a Caddyfile: global options, a snippet, or a site. */
interface TopBlock {
  head: string;
  body: string[];
}

/** `{$NAME}` and `{$NAME:default}`: Caddy puts in its own environment when it loads the Caddyfile. */
function withEnv(text: string, env: Record<string, string>): string {
  return text.replace(/\{\$([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g, (_m, name: string, dflt?: string) => env[name] ?? dflt ?? '');
}

/** A line that opens a block: Caddy wants the brace last on its line. */
const opensBlock = (t: string) => t === '{' || /\s\{$/.test(t);

/** Splits a Caddyfile at its top-level braces; a site left without braces (one site) runs to the end. */
function topBlocks(text: string): TopBlock[] {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trimEnd())
    .filter((l) => l.trim());
  const blocks: TopBlock[] = [];
  let depth = 0;
  let current: TopBlock = { head: '', body: [] };
  for (const [i, line] of lines.entries()) {
    const t = line.trim();
    if (depth === 0) {
      if (!opensBlock(t)) return [...blocks, { head: t, body: lines.slice(i + 1) }];
      current = { head: t.replace(/\s*\{$/, ''), body: [] };
      depth = 1;
      continue;
    }
    if (opensBlock(t)) depth++;
    if (t === '}') depth--;
    if (depth === 0) blocks.push(current);
    else current.body.push(line);
  }
  return blocks;
}

/** `reverse_proxy [matcher] <upstreams...> [{`: the upstreams replaced by the test n8n. */
function rewriteReverseProxy(line: string): string {
  const m = /^(\s*reverse_proxy)((?:\s+(?:[/@*]\S*))?)((?:\s+[^\s{]+)*)(\s*\{?)\s*$/.exec(line);
  return m ? `${m[1]}${m[2]} ${TEST_UPSTREAM}${m[4]}` : line;
}

/** The path a block's matcher names: `handle_path /n8n/*` -> `/n8n`. */
const matcherPath = (line: string, directive: string) => new RegExp(`^\\s*${directive}\\s+(/[^\\s{]*)`).exec(line)?.[1]?.replace(/\*$/, '').replace(/\/$/, '');

/** Per route that proxies: its prefix, and whether Caddy strips it (handle_path, or uri strip_prefix in the block). */
function routesOf(body: string[]): ApiRoute[] {
  const routes: ApiRoute[] = [];
  const stack: Array<{ path?: string; stripped: boolean }> = [];
  for (const line of body) {
    const path = matcherPath(line, 'handle_path') ?? matcherPath(line, 'handle') ?? matcherPath(line, 'route');
    const enclosing = stack.at(-1);
    if (/^\s*uri\s+strip_prefix\b/.test(line) && enclosing) enclosing.stripped = true;
    if (/^\s*reverse_proxy\b/.test(line)) {
      const own = /^\s*reverse_proxy\s+(\/\S*)/.exec(line)?.[1]?.replace(/\*$/, '').replace(/\/$/, '');
      const prefix = own ?? enclosing?.path ?? '';
      routes.push({ location: line.trim().replace(/\s*\{$/, ''), prefix, stripped: prefix === '' || Boolean(!own && enclosing?.stripped) });
    }
    if (opensBlock(line.trim())) stack.push({ path, stripped: /^\s*handle_path\b/.test(line) });
    if (line.trim() === '}') stack.pop();
  }
  // A later route under the same prefix is the same API path: keep the first.
  return routes.filter((r, i) => routes.findIndex((o) => o.prefix === r.prefix) === i);
}

/**
 * The user's Caddyfile, made to run in front of the test n8n: the site that proxies is served on
 * :80 over plain HTTP (automatic HTTPS off, `tls` left out), every reverse_proxy upstream becomes the
 * test n8n, `{$VAR}` takes the Caddy service's env; everything else stays as written.
 */
export function reproduceCaddy(source: string, file: string, env: Record<string, string>): ReproducedProxy {
  const blocks = topBlocks(withEnv(source, env));
  const sites = blocks.filter((b) => b.head && !b.head.startsWith('('));
  const proxying = sites.filter((b) => b.body.some((l) => /^\s*reverse_proxy\b/.test(l)));
  if (!proxying.length) throw new UnreproducibleError(`${file}: no site proxies to n8n (no reverse_proxy)`);
  const site = proxying[0]!;
  for (const line of site.body) {
    const directive = line.trim().split(/\s+/)[0]!;
    if (UNSUPPORTED.includes(directive))
      throw new UnreproducibleError(
        `${file}: the directive "${directive}" cannot be reproduced here (the test cannot pass it); remove it from a copy to check the rest`,
      );
  }
  const changes = [`site ${site.head} -> :80 (plain HTTP: the test has no certificate)`];
  const global = blocks.find((b) => b.head === '');
  if (global) changes.push('global options left out (automatic HTTPS off instead)');
  if (sites.length > 1) changes.push(`kept the site that proxies to n8n; left out ${sites.length - 1} other site(s)`);
  const body: string[] = [];
  let skipDepth = 0;
  for (const line of site.body) {
    if (skipDepth > 0 || /^\s*tls\b/.test(line)) {
      if (!skipDepth) changes.push(`left out: ${line.trim()}`);
      skipDepth += (opensBlock(line.trim()) ? 1 : 0) - (line.trim() === '}' ? 1 : 0);
      continue;
    }
    const rewritten = rewriteReverseProxy(line);
    if (rewritten !== line) changes.push(`${line.trim().replace(/\s*\{$/, '')} -> upstream ${TEST_UPSTREAM}`);
    body.push(rewritten);
  }
  const snippets = blocks.filter((b) => b.head.startsWith('(')).map((b) => `${b.head} {\n${b.body.join('\n')}\n}`);
  const config = [
    `# Reproduced from ${file} by authlab check (see its report).`,
    '{\n\tauto_https off\n}',
    ...snippets,
    `:80 {\n${body.join('\n')}\n}`,
    '',
  ].join('\n');
  return { kind: 'caddy', source: file, config, changes, routes: routesOf(site.body) };
}
