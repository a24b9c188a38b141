import { answerOf, type Exchange } from '../client/exchange.ts';
import { API_KEY_HEADER, PUBLIC_WORKFLOWS, wrongKeyOf } from '../client/public-api.ts';
import { comparedOn, identityDifferences, identityOf } from './instance-identity.ts';
import type { FailureModeId } from './modes.ts';
import { n8nMessage } from './n8n-answer.ts';
import { spokePlainHttpToTls, unreachableOf, type Unreachable } from './reachability.ts';

/** One recorded request of the doctor's to `base` + `path`. */
export type Probe = (label: string, base: string, path: string, headers?: Array<[string, string]>, keepResponseHeaders?: string[]) => Promise<Exchange>;

/** How what answers behind the proxy differs from the n8n at `url` (key-less probes of both), and what could be compared. */
async function anotherN8n(url: string, proxy: string, probe: Probe): Promise<{ differences: string[]; compared: string[] }> {
  const direct = await identityOf('straight', (label, path, headers, keep) => probe(label, url, path, headers, keep));
  const proxied = await identityOf('through the proxy', (label, path, headers, keep) => probe(label, proxy, path, headers, keep), direct.editorAsset?.path);
  return { differences: identityDifferences(direct, proxied), compared: comparedOn(direct, proxied) };
}

/**
 * The proxy's part of the tree: does it answer, inject a key, pass the key on, refuse, route the
 * API path elsewhere or to another n8n.
 */
export async function diagnoseProxy(
  url: string,
  proxy: string,
  key: string | undefined,
  keyWorks: boolean,
  probe: Probe,
  found: (mode: FailureModeId, ...evidence: string[]) => void,
  notes: string[],
  unreachable: (u: Unreachable) => void,
): Promise<void> {
  const bare = await probe('no key through the proxy', proxy, PUBLIC_WORKFLOWS);
  if (!bare.response || spokePlainHttpToTls(bare)) {
    unreachable(unreachableOf('proxy', proxy, bare, ['the key through the proxy (dropped, replaced or injected)', 'which n8n the proxy reaches']));
    return void found('proxy-unreachable', `GET ${proxy}${PUBLIC_WORKFLOWS}: ${answerOf(bare)}`);
  }
  if (bare.outcome === 'accepted') return void found('proxy-injects-key', `no key through the proxy: ${answerOf(bare)}`);
  if (key !== undefined) {
    const wrong = await probe('a wrong key through the proxy', proxy, PUBLIC_WORKFLOWS, [[API_KEY_HEADER, wrongKeyOf(key)]]);
    if (wrong.outcome === 'accepted') return void found('proxy-injects-key', `a wrong key through the proxy: ${answerOf(wrong)}`);
  }
  const sent = key !== undefined && keyWorks ? await probe('the key through the proxy', proxy, PUBLIC_WORKFLOWS, [[API_KEY_HEADER, key]]) : bare;
  if (sent.outcome === 'accepted') return void notes.push(`the key works through the proxy: ${answerOf(sent)}`);
  const evidence = `${sent.label}: ${answerOf(sent)}`;
  const message = n8nMessage(sent);
  if (sent.outcome === 'not-found' || sent.outcome === 'editor-page') found('proxy-path-mismatch', evidence);
  else if (message === undefined) found('proxy-refuses', evidence, "the answer is not n8n's JSON");
  else if (sent === bare) notes.push(`through the proxy without a key: ${answerOf(bare)} (give a key to check that it passes)`);
  else {
    const { differences, compared } = await anotherN8n(url, proxy, probe);
    if (differences.length) return void found('proxy-routes-to-another-n8n', evidence, 'the same key works straight on n8n', ...differences);
    found(
      'proxy-loses-key',
      evidence,
      `the same key works straight on n8n; ${/header required/i.test(message) ? 'n8n says no key arrived: dropped or blanked' : /^unauthorized$/i.test(message) ? 'n8n does not say whether the key arrived (n8n 2.x answers a missing and a wrong key alike)' : 'n8n refused another value: the proxy replaces the key'}`,
      compared.length
        ? `what answers behind the proxy is the same n8n as straight (the same ${compared.join(', ')})`
        : 'which n8n answers behind the proxy could not be told (no instance id or editor asset answered on both)',
    );
  }
}
