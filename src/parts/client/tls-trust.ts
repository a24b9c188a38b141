import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';

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

/** An undici dispatcher with that trust (one per trust, its connections reused); undefined when there is nothing to add to the defaults. */
export function dispatcherFor(trust: TlsTrust | undefined): Agent | undefined {
  if (!trust?.ca && !trust?.insecure) return undefined;
  let agent = dispatchers.get(trust);
  if (!agent) dispatchers.set(trust, (agent = new Agent({ connect: trustOptionsOf(trust) })));
  return agent;
}
