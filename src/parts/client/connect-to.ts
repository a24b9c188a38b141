import { UserError } from '../../base/user-error.ts';

/**
 * curl's `--connect-to HOST1:PORT1:HOST2:PORT2`: a request for HOST1:PORT1 connects to HOST2:PORT2
 * instead, its URL, Host header and TLS name unchanged. For an instance known by a public name that
 * does not resolve where the doctor runs (a DNS record not made yet, a proxy reached by its address).
 */
export interface ConnectTo {
  host: string;
  port: number;
  toHost: string;
  toPort: number;
}

const RULE = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5}):(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/;

/** Parses one rule as curl writes it; bad input is one line naming the form. */
export function parseConnectTo(rule: string): ConnectTo {
  const m = RULE.exec(rule.trim());
  const ports = m ? [Number(m[2]), Number(m[4])] : [];
  if (!m || ports.some((p) => p < 1 || p > 65535))
    throw new UserError(`--connect-to ${rule}: expected HOST1:PORT1:HOST2:PORT2 (as curl's), e.g. n8n.example.com:443:127.0.0.1:8443`);
  const bare = (h: string) => h.replace(/^\[|\]$/g, '');
  return { host: bare(m[1]!).toLowerCase(), port: ports[0]!, toHost: bare(m[3]!), toPort: ports[1]! };
}

const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/** Where a request for the URL connects: the first rule for its host and port, else the URL's own. */
export function routeOf(url: URL, rules: readonly ConnectTo[] | undefined): { host: string; port: number } {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = portOf(url);
  const rule = rules?.find((r) => r.host === host && r.port === port);
  return rule ? { host: rule.toHost, port: rule.toPort } : { host, port };
}
