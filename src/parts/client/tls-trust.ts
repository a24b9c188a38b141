import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { type ConnectTo, routeOf } from './connect-to.ts';

/**
 * What the probes trust when they speak TLS: the system's CAs by default, a private CA's PEM
 * bundle on top (`ca`), or nothing at all (`insecure`, as `curl -k`).
 */
export interface TlsTrust {
  /** PEM certificates: the CA that signs the instance's certificate (or a self-signed certificate itself). */
  ca?: string;
  /** Do not check the certificate at all. */
  insecure?: boolean;
}

interface TlsOptions {
  ca?: string[];
  rejectUnauthorized: boolean;
}

/** The CA and verification options node:tls, node:https and undici take for that trust. */
function trustOptionsOf(trust: TlsTrust | undefined): TlsOptions {
  // A private CA is added to the system's CAs, not put in their place.
  return { ...(trust?.ca ? { ca: [...rootCertificates, trust.ca] } : {}), rejectUnauthorized: !trust?.insecure };
}

/** Options for a TLS connection to `hostname`: the trust, and SNI for a name (never for an address). */
export function tlsOptionsOf(trust: TlsTrust | undefined, hostname: string): TlsOptions & { servername?: string } {
  return { ...trustOptionsOf(trust), ...(isIP(hostname) ? {} : { servername: hostname }) };
}

const dispatchers = new WeakMap<TlsTrust, Agent>();
const routed = new WeakMap<readonly ConnectTo[], Agent>();

/**
 * An undici dispatcher with that trust (one per trust, its connections reused), connecting where
 * --connect-to says (one per rule list); undefined when there is nothing to add to the defaults.
 */
export function dispatcherFor(trust: TlsTrust | undefined, connectTo?: readonly ConnectTo[]): Agent | undefined {
  if (connectTo?.length) return routedAgent(trust, connectTo);
  if (!trust?.ca && !trust?.insecure) return undefined;
  let agent = dispatchers.get(trust);
  if (!agent) dispatchers.set(trust, (agent = new Agent({ connect: trustOptionsOf(trust) })));
  return agent;
}

/** The URL's name stays the TLS name; only the address and port connected to change. */
function routedAgent(trust: TlsTrust | undefined, rules: readonly ConnectTo[]): Agent {
  const known = routed.get(rules);
  if (known) return known;
  const connector = buildConnector(trustOptionsOf(trust));
  const agent = new Agent({
    connect: (opts, done) => {
      const to = routeOf(new URL(`${opts.protocol}//${opts.hostname}${opts.port ? `:${opts.port}` : ''}`), rules);
      const name = opts.hostname.replace(/^\[|\]$/g, '');
      connector({ ...opts, hostname: to.host, port: String(to.port), servername: opts.servername || (isIP(name) ? undefined : name) }, done);
    },
  });
  routed.set(rules, agent);
  return agent;
}
