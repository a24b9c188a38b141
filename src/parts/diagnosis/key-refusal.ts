import type { FailureModeId } from './modes.ts';
import { listedAs, type OwnerReading } from './owner-reading.ts';

/**
 * The three causes n8n answers alike with a bare 401 to a well-formed, unexpired key:
 * (a) another instance signed it, (b) this instance issued it and no longer has it (deleted, or its
 * user removed), (c) the public API is off (2.x; 1.x answers 404 then, which the doctor checks first).
 */
export type RefusalCase = 'another-instance' | 'deleted' | 'api-off';

const CASE_WORDS: Record<RefusalCase, string> = {
  'another-instance': '(a) a key another n8n signed (another N8N_ENCRYPTION_KEY or JWT secret): use a key this instance issued',
  deleted: '(b) a key this instance issued and then deleted (Settings > n8n API), or whose user was removed: create a new key',
  'api-off': '(c) the public API turned off (N8N_PUBLIC_API_DISABLED=true, n8n 2.x answers every key 401): unset it and restart n8n',
};

/** What tells (a) from the rest: the signature. */
const SIGNATURE_TELLS =
  "--encryption-key-file (or --jwt-secret-file): the key's signature, checked here against this instance's secret, says whether it signed the key";

/** The options that would tell the open causes apart, leaving out what was already given. */
function tellsApart(open: RefusalCase[], signedIn: boolean): string[] {
  const settings = "n8n's settings say whether its public API is on";
  const keys = open.includes('api-off') ? 'its list of API keys whether it knows this key' : "n8n's list of API keys says whether it knows this key";
  const fromOwner = [...(open.includes('api-off') ? [settings] : []), ...(open.includes('deleted') ? [keys] : [])];
  return [
    ...(open.includes('another-instance') ? [SIGNATURE_TELLS] : []),
    ...(!signedIn && fromOwner.length ? [`--owner-email with --owner-password-file: ${fromOwner.join(', ')}`] : []),
  ];
}

/** What the doctor has to tell the three apart, each piece optional. */
export interface RefusalEvidence {
  /** n8n's answer to the key, in a line. */
  refused: string;
  key: string;
  sub?: string;
  /** The signature checked against the secret given (--encryption-key-file, --jwt-secret-file). */
  signature?: { valid: boolean; detail: string };
  /** n8n's version where it says it without a sign-in (1.x's /rest/settings). */
  version?: string;
  owner?: OwnerReading;
}

export interface RefusalFinding {
  mode: FailureModeId;
  evidence: string[];
}

type Status = 'yes' | 'no' | 'unknown';

/**
 * Which of the three causes the evidence proves, rules out or leaves open, each with the line that
 * says why. A certain cause is named by its mode; two or three left open are named with the
 * options that would tell them apart, never a guess.
 */
export function judgeRefusedKey(e: RefusalEvidence): RefusalFinding[] {
  const why: string[] = [e.refused];
  const owner = e.owner?.signedIn ? e.owner : undefined;
  const version = owner?.version ?? e.version;
  const status: Record<RefusalCase, Status> = { 'another-instance': 'unknown', deleted: 'unknown', 'api-off': 'unknown' };

  if (owner?.publicApiEnabled === false) {
    status['api-off'] = 'yes';
    why.push(`n8n's settings, signed in: publicApi.enabled false${owner.keysAnswer ? `; /rest/api-keys: ${owner.keysAnswer}` : ''}`);
  } else if (owner?.publicApiEnabled === true) {
    status['api-off'] = 'no';
    why.push("n8n's settings, signed in: publicApi.enabled true");
  } else if (version?.startsWith('1.')) {
    status['api-off'] = 'no';
    why.push(`n8n ${version}: a 1.x n8n answers 404 on /api/v1 when its public API is off, and this one answered 401`);
  }

  if (e.signature) {
    status['another-instance'] = e.signature.valid ? 'no' : 'yes';
    why.push(e.signature.detail);
  }
  const userIds = owner?.userIds;
  const subIsUser = e.sub !== undefined && userIds !== undefined && userIds.includes(e.sub);
  if (userIds && e.sub !== undefined) {
    why.push(
      subIsUser
        ? `the key acts as user ${e.sub}, a user of this instance (a key another n8n signed names one of its own users)`
        : `the key acts as user ${e.sub}, who is not among this instance's ${userIds.length} user(s): another instance's key, or its user was removed here`,
    );
    if (subIsUser && status['another-instance'] === 'unknown') status['another-instance'] = 'no';
  }

  const listed = owner?.keys ? listedAs(owner, e.sub, e.key) : undefined;
  const seesKeysOf = owner?.keys && e.sub !== undefined && (e.sub === owner.userId || owner.listsEveryUsersKeys);
  if (listed) {
    status.deleted = 'no';
    why.push(`n8n lists this key: "${listed.label}", created ${listed.createdAt}, ${listed.scopes} scope(s), ending ${listed.lastChars}`);
  } else if (seesKeysOf) {
    why.push(
      `none of the ${owner!.keys!.length} key(s) n8n lists to ${owner!.listsEveryUsersKeys ? "this owner (every user's)" : 'this user'} is this one (their last characters: ${owner!.keys!.map((k) => k.lastChars).join(', ') || 'none'})`,
    );
    if (status['another-instance'] === 'no') status.deleted = 'yes';
  } else if (owner?.keys && e.sub !== undefined && subIsUser)
    why.push(`the key is another user's (${e.sub}): n8n lists a user only their own keys here, so whether it still exists only that user can see`);
  // Neither another instance's key nor the API off: n8n has no record of a key it issued.
  if (status['another-instance'] === 'no' && status['api-off'] === 'no' && status.deleted === 'unknown') status.deleted = 'yes';
  if (status.deleted === 'yes' && userIds && e.sub !== undefined && !subIsUser) why.push("its user was removed (a removed user's keys go with it)");

  const found: RefusalFinding[] = [];
  if (status['api-off'] === 'yes') found.push({ mode: 'public-api-disabled', evidence: why });
  if (status['another-instance'] === 'yes') found.push({ mode: 'key-not-issued-here', evidence: why });
  if (found.length) {
    if (status['api-off'] === 'yes' && status['another-instance'] !== 'yes')
      why.push('whether n8n also has no record of this key can be read once the API is on (n8n serves /rest/api-keys only then)');
    return found;
  }
  if (status.deleted === 'yes') return [{ mode: 'key-deleted', evidence: why }];
  const open = (Object.keys(status) as RefusalCase[]).filter((c) => status[c] === 'unknown');
  if (open.length === 0)
    return [{ mode: 'key-rejected', evidence: [...why, 'none of the three causes fits what n8n says: its own log says why it refuses the key'] }];
  const tells = tellsApart(open, owner !== undefined);
  const remaining = [`remaining: ${open.map((c) => CASE_WORDS[c]).join('; ')}`, ...(tells.length ? [`to tell them apart: ${tells.join('; ')}`] : [])];
  if (open.length === 2 && open.includes('deleted') && open.includes('api-off')) return [{ mode: 'key-unknown-to-n8n', evidence: [...why, ...remaining] }];
  return [{ mode: 'key-rejected', evidence: [...why, ...remaining] }];
}
