import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A self-signed certificate a test makes for one host name, and the key hash a browser trusts it by. */
export interface TestCertificate {
  host: string;
  certPem: string;
  keyPem: string;
  /** Base64 SHA-256 of its SubjectPublicKeyInfo: what Chromium's --ignore-certificate-errors-spki-list takes. */
  spkiSha256: string;
}

/** Makes the certificate with openssl on this machine, in `dir` (valid two days, the name or address in its subjectAltName). */
export async function makeTestCertificate(host: string, dir: string): Promise<TestCertificate> {
  const cert = join(dir, `${host}.crt`);
  const key = join(dir, `${host}.key`);
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    `/CN=${host}`,
    '-addext',
    `subjectAltName=${isIP(host) ? 'IP' : 'DNS'}:${host}`,
  ]);
  const certPem = await readFile(cert, 'utf8');
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return { host, certPem, keyPem: await readFile(key, 'utf8'), spkiSha256: createHash('sha256').update(spki).digest('base64') };
}
