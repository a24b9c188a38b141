import type { Exchange } from '../client/exchange.ts';

/**
 * What tells one running n8n from another from outside, without a key: n8n 1.x's /rest/settings
 * names its instance id (from its encryption key) and version (2.x answers a key-less caller only
 * public settings); and every n8n writes its editor's assets afresh when it starts, so an asset's
 * ETag and Last-Modified are that process's start, to the millisecond.
 */
export interface InstanceIdentity {
  instanceId?: string;
  version?: string;
  /** An editor asset's path, and its ETag and Last-Modified as served. */
  editorAsset?: { path: string; stamp: string };
}

type Get = (label: string, path: string, headers?: Array<[string, string]>, keep?: string[]) => Promise<Exchange>;

const ASSET = /\/?(assets\/[\w.-]+\.js)/;

export function settingsOf(e: Exchange): Pick<InstanceIdentity, 'instanceId' | 'version'> {
  try {
    const data = (JSON.parse(e.response?.body ?? '') as { data?: { instanceId?: unknown; versionCli?: unknown } }).data;
    return {
      ...(typeof data?.instanceId === 'string' ? { instanceId: data.instanceId } : {}),
      ...(typeof data?.versionCli === 'string' ? { version: data.versionCli } : {}),
    };
  } catch {
    return {};
  }
}

/** The kept headers by name, in one order: a proxy may send them in another (Caddy does). */
export const stampOf = (e: Pick<Exchange, 'response'>) =>
  (e.response?.headers ?? [])
    .map(([k, v]) => `${k.toLowerCase()}: ${v}`)
    .sort()
    .join(', ');

/** The identity an n8n (or whatever answers behind a proxy) shows; `assetPath` names the editor asset to stamp (default: the one its own page names). */
export async function identityOf(where: string, get: Get, assetPath?: string): Promise<InstanceIdentity> {
  const settings = settingsOf(await get(`${where}: /rest/settings without a key`, '/rest/settings'));
  const path = assetPath ?? ASSET.exec((await get(`${where}: the editor page`, '/')).response?.body ?? '')?.[1];
  if (!path) return settings;
  // One byte of it: only its headers matter.
  const asset = await get(`${where}: an editor asset's ETag and Last-Modified`, `/${path}`, [['Range', 'bytes=0-0']], ['etag', 'last-modified']);
  const stamp = asset.response && asset.response.status < 300 ? stampOf(asset) : '';
  return { ...settings, ...(stamp ? { editorAsset: { path, stamp } } : {}) };
}

/** What both answered and so could be compared: the instance id, the version, the editor assets' start stamp. */
export function comparedOn(direct: InstanceIdentity, proxied: InstanceIdentity): string[] {
  const both = (a?: string, b?: string) => a !== undefined && b !== undefined;
  return [
    ...(both(direct.instanceId, proxied.instanceId) ? ['instance id'] : []),
    ...(both(direct.version, proxied.version) ? ['version'] : []),
    ...(both(direct.editorAsset?.stamp, proxied.editorAsset?.stamp) ? ["editor assets' start stamp"] : []),
  ];
}

/** How the identity behind the proxy differs from n8n's own; empty when nothing tells them apart. */
export function identityDifferences(direct: InstanceIdentity, proxied: InstanceIdentity): string[] {
  const differs = (a?: string, b?: string) => a !== undefined && b !== undefined && a !== b;
  return [
    ...(differs(direct.instanceId, proxied.instanceId)
      ? [`/rest/settings: instanceId ${direct.instanceId} straight, ${proxied.instanceId} through the proxy (another encryption key)`]
      : []),
    ...(differs(direct.version, proxied.version) ? [`/rest/settings: n8n ${direct.version} straight, ${proxied.version} through the proxy`] : []),
    ...(differs(direct.editorAsset?.stamp, proxied.editorAsset?.stamp)
      ? [
          `/${direct.editorAsset!.path}: ${direct.editorAsset!.stamp} straight, ${proxied.editorAsset!.stamp} through the proxy (n8n writes its editor's assets when it starts: another n8n process)`,
        ]
      : []),
  ];
}
