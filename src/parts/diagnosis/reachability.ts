import { isIP } from 'node:net';
import type { Exchange } from '../client/exchange.ts';

/** Which address did not answer: n8n's own, the proxy's, the webhook URL's, or the MCP URL's. */
export type DoctorTarget = 'n8n' | 'proxy' | 'webhook' | 'mcp';

/** The target in a sentence: "n8n", "the proxy", "the MCP URL". */
export function targetName(target: DoctorTarget): string {
  return target === 'n8n' ? 'n8n' : target === 'mcp' ? 'the MCP URL' : `the ${target}`;
}

/** Why nothing answered, as far as the connection tells. */
export type UnreachableCause = 'connection-refused' | 'unknown-host' | 'tls' | 'timeout' | 'no-http-answer';

/** A target the doctor could not reach: why, what to do about it, and what it therefore could not check. */
export interface Unreachable {
  target: DoctorTarget;
  url: string;
  cause: UnreachableCause;
  /** The connection's own error, masked. */
  error: string;
  nextSteps: string[];
  unchecked: string[];
}

const CAUSES: Array<[UnreachableCause, RegExp]> = [
  ['connection-refused', /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL/],
  ['unknown-host', /ENOTFOUND|EAI_AGAIN/],
  ['tls', /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_SSL|ERR_TLS|EPROTO|HTTP_TO_HTTPS_PORT|wrong version number|certificate|handshake/i],
  ['timeout', /no answer within|ETIMEDOUT|TimeoutError|timed? ?out/i],
];

/** What NGINX and Caddy answer (400) when plain http reaches the port they serve TLS on. */
const PLAIN_HTTP_TO_TLS_PORT = /The plain HTTP request was sent to HTTPS port|Client sent an HTTP request to an HTTPS server/i;
/** How such an answer is told in an Unreachable's error: no code of Node's says it. */
const PLAIN_TO_TLS_CODE = 'HTTP_TO_HTTPS_PORT';

/** An answer that says the URL spoke plain http to a TLS port: nothing behind it was reached. */
export function spokePlainHttpToTls(e: Exchange): boolean {
  return e.response?.status === 400 && PLAIN_HTTP_TO_TLS_PORT.test(e.response.body);
}

export function causeOf(error: string): UnreachableCause {
  return CAUSES.find(([, test]) => test.test(error))?.[0] ?? 'no-http-answer';
}

/** A name with no dot that is not localhost: most likely a compose service name, which resolves only inside its compose network. */
const looksLikeServiceName = (host: string) => !host.includes('.') && !host.includes(':') && host !== 'localhost';

/** The compose service a user would look at for each target. */
const SERVICE: Record<DoctorTarget, string> = { n8n: 'n8n', proxy: '<your proxy service, e.g. nginx>', webhook: 'n8n', mcp: 'n8n' };
/** The option that gave each target's URL. */
const OPTION: Record<DoctorTarget, string> = { n8n: '--url', proxy: '--proxy-url', webhook: '--webhook-url', mcp: '--mcp-url' };

function tlsStep(error: string, host: string): string {
  if (/ALTNAME|does not match|Hostname\/IP/i.test(error))
    return `the certificate is not issued for ${host}: use the name it was issued for (its subjectAltName), or reissue it for ${host}`;
  if (/EXPIRED/i.test(error)) return 'the certificate has expired: renew it (certbot renew, or your CA)';
  if (error.startsWith(PLAIN_TO_TLS_CODE)) return 'that port serves TLS and was asked in plain http: use https:// for it (with --ca-bundle for a private CA)';
  if (/wrong version number|ERR_SSL_WRONG_VERSION|EPROTO|packet length too long/i.test(error))
    return 'that port does not speak TLS: use http:// for it, or the port where TLS is served (usually 443)';
  return 'the certificate is signed by a CA this machine does not trust (a private CA, or a self-signed certificate): give --ca-bundle <that CA, PEM>, or --insecure to look anyway';
}

/** What to do next, by cause: the URL and port, the published port for a service name, docker compose ps and logs. */
function nextStepsOf(target: DoctorTarget, url: URL, cause: UnreachableCause, error: string): string[] {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const at = `${url.hostname}:${port}`;
  const ps = `docker compose ps: is ${SERVICE[target]} running (not "restarting" or "exited"), and which port does it publish (e.g. 0.0.0.0:5678->5678/tcp)?`;
  const logs = `docker compose logs ${SERVICE[target]}: why it is not answering (an n8n that refused to start says why, e.g. "Mismatching encryption keys")`;
  switch (cause) {
    case 'connection-refused':
      return [`nothing listens on ${at}: check the URL and the port (the port published on this machine, the left side of "5678:5678" under ports:)`, ps, logs];
    case 'unknown-host':
      return looksLikeServiceName(url.hostname)
        ? [
            `${url.hostname} does not resolve here: it looks like a compose service name, which resolves only inside its compose network; from this machine use the port it publishes, e.g. ${OPTION[target]} http://localhost:5678${url.pathname === '/' ? '' : url.pathname}`,
            ps,
          ]
        : [`${url.hostname} does not resolve from this machine: check the name (a typo, a DNS record not made yet, a VPN not connected)`];
    case 'tls':
      return [
        tlsStep(error, url.hostname),
        `openssl s_client -connect ${at}${isIP(url.hostname) ? '' : ` -servername ${url.hostname}`}: the certificate the server sends, and who signed it`,
      ];
    case 'timeout':
      return [
        `${at} took the connection or the request and did not answer in time: a firewall dropping packets, a host that is down, or n8n still starting`,
        ps,
        logs,
      ];
    case 'no-http-answer':
      return [`something at ${at} answered, but not with HTTP: check the port (another service's port?) and the scheme (https:// on a TLS port)`, ps];
  }
}

/** The unreachable target with its cause and next steps, from the probe that got no answer. */
export function unreachableOf(target: DoctorTarget, base: string, probe: Exchange, unchecked: string[]): Unreachable {
  const said = probe.response && (PLAIN_HTTP_TO_TLS_PORT.exec(probe.response.body)?.[0] ?? '');
  const error = probe.response ? `${PLAIN_TO_TLS_CODE}: ${probe.response.status} ${said}` : (probe.error ?? 'no answer');
  const url = new URL(base);
  const cause = causeOf(error);
  return { target, url: base, cause, error, nextSteps: nextStepsOf(target, url, cause, error), unchecked };
}

/** What the doctor could not check when n8n itself does not answer: everything it was given to check. */
export function uncheckedWithoutN8n(given: {
  key?: string;
  path?: string;
  proxyUrl?: string;
  executions: boolean;
  webhook: boolean;
  push: boolean;
  mcp: boolean;
}): string[] {
  return [
    "n8n's clock",
    'the public API',
    ...(given.key !== undefined ? ['the key (its characters, expiry, signature, whether n8n takes it)'] : []),
    ...(given.path ? [`the path ${given.path}`] : []),
    ...(given.proxyUrl ? ['the proxy'] : []),
    ...(given.executions ? ['the executions (failures inside workflows)'] : []),
    ...(given.webhook ? ['the webhook call'] : []),
    ...(given.push ? ["the editor's push connection"] : []),
    ...(given.mcp ? ['the MCP call'] : []),
  ];
}
