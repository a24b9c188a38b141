import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { inspectApiKey } from '../../src/parts/inspect/key-inspector.ts';
import { settingsOf } from '../../src/parts/diagnosis/instance-identity.ts';
import { judgeRefusedKey, type RefusalEvidence } from '../../src/parts/diagnosis/key-refusal.ts';
import { readOwnerAnswers } from '../../src/parts/diagnosis/owner-reading.ts';
import { RECORDED, RECORDING_ENCRYPTION_KEY } from './doctor-key-refusal.recorded.ts';

// The three causes of a bare 401 to a well-formed key, judged from what n8n 1.116.2 and 2.41.0
// answered (doctor-key-refusal.recorded.ts): with no evidence, with the encryption key, with an
// owner's sign-in, with both. The recorded instances' own keys are "kept" and "deleted"; the
// foreign key is one another instance minted (fixtures/keys).
type Version = keyof typeof RECORDED;
type Case = 'foreign' | 'deleted' | 'api-off';
const VERSIONS: Version[] = ['1.116.2', '2.41.0'];

const foreignKey = (v: Version) =>
  (JSON.parse(readFileSync(new URL(`../../fixtures/keys/n8n-${v}.json`, import.meta.url), 'utf8')) as { derived: { keys: { plain: string } } }).derived.keys
    .plain;
const keyOf = (v: Version, c: Case) => (c === 'foreign' ? foreignKey(v) : c === 'deleted' ? RECORDED[v].keys.deleted : RECORDED[v].keys.kept);
const phaseOf = (c: Case) => (c === 'api-off' ? 'off' : 'on');

/** What the doctor hands the judgement for a case, with the evidence asked for. */
async function evidenceFor(v: Version, c: Case, given: { encryptionKey?: boolean; owner?: boolean }): Promise<RefusalEvidence> {
  const key = keyOf(v, c);
  const answer = RECORDED[v].publicApi[phaseOf(c)][c === 'api-off' ? 'kept' : c];
  const inspected = await inspectApiKey(key, given.encryptionKey ? { encryptionKey: RECORDING_ENCRYPTION_KEY } : {});
  const version = settingsOf({
    label: '',
    via: 'raw-socket',
    request: { method: 'GET', url: '', headers: [] },
    outcome: 'accepted',
    response: RECORDED[v].settingsWithoutLogin,
  }).version;
  return {
    refused: `n8n answers ${answer.status} ${answer.body}`,
    key,
    ...(inspected.claims?.sub ? { sub: inspected.claims.sub } : {}),
    ...(inspected.signature ? { signature: inspected.signature } : {}),
    ...(version ? { version } : {}),
    ...(given.owner ? { owner: readOwnerAnswers(RECORDED[v].owner[phaseOf(c)]) } : {}),
  };
}
const judged = async (v: Version, c: Case, given: { encryptionKey?: boolean; owner?: boolean } = {}) => judgeRefusedKey(await evidenceFor(v, c, given));
const modes = async (...args: Parameters<typeof judged>) => (await judged(...args)).map((f) => f.mode);
const remaining = async (...args: Parameters<typeof judged>) =>
  (await judged(...args))[0]!.evidence.find((e) => e.startsWith('remaining: '))?.match(/\([abc]\)/g) ?? [];

describe('what n8n says to a signed-in owner, as recorded', () => {
  test.each(VERSIONS)('%s: the settings, the list of keys (their last characters only) and the users', (v) => {
    const on = readOwnerAnswers(RECORDED[v].owner.on);
    expect(on).toMatchObject({ signedIn: true, version: v, publicApiEnabled: true, listsEveryUsersKeys: v === '2.41.0' });
    expect(on.keys?.map((k) => k.label)).toEqual(['kept']);
    expect(RECORDED[v].keys.kept.endsWith(on.keys![0]!.lastChars)).toBe(true);
    expect(on.userIds).toEqual([on.userId]);
    const off = readOwnerAnswers(RECORDED[v].owner.off);
    expect(off).toMatchObject({ signedIn: true, publicApiEnabled: false, keysAnswer: '404' });
    expect(off.keys).toBeUndefined();
  });

  test.each(VERSIONS)("%s: a wrong password is a refused sign-in, in n8n's words", (v) => {
    expect(readOwnerAnswers({ login: RECORDED[v].wrongPassword })).toEqual({
      signedIn: false,
      refusal: '401 "Wrong username or password. Do you have caps lock on?"',
      listsEveryUsersKeys: false,
    });
  });
});

describe('no extra evidence: the causes that remain, and what would tell them apart', () => {
  test('2.41.0: all three remain for each case (its /rest/settings says no version without a sign-in)', async () => {
    for (const c of ['foreign', 'deleted', 'api-off'] as const) {
      expect(await modes('2.41.0', c)).toEqual(['key-rejected']);
      expect(await remaining('2.41.0', c)).toEqual(['(a)', '(b)', '(c)']);
    }
    const [finding] = await judged('2.41.0', 'deleted');
    expect(finding!.evidence.join('\n')).toMatch(/to tell them apart: --encryption-key-file .*; --owner-email/);
  });

  test('1.116.2: the API off is ruled out (1.x answers 404 then, and says its version): (a) or (b) remain', async () => {
    for (const c of ['foreign', 'deleted'] as const) {
      expect(await modes('1.116.2', c)).toEqual(['key-rejected']);
      expect(await remaining('1.116.2', c)).toEqual(['(a)', '(b)']);
    }
  });
});

describe('with the encryption key: the signature tells (a) from the rest', () => {
  test.each(VERSIONS)('%s: the foreign key is key-not-issued-here', async (v) => {
    expect(await modes(v, 'foreign', { encryptionKey: true })).toEqual(['key-not-issued-here']);
  });
  test('2.41.0: the deleted key and any key with the API off remain (b) or (c): key-unknown-to-n8n', async () => {
    expect(await modes('2.41.0', 'deleted', { encryptionKey: true })).toEqual(['key-unknown-to-n8n']);
    expect(await modes('2.41.0', 'api-off', { encryptionKey: true })).toEqual(['key-unknown-to-n8n']);
    expect(await remaining('2.41.0', 'deleted', { encryptionKey: true })).toEqual(['(b)', '(c)']);
    const evidence = (await judged('2.41.0', 'deleted', { encryptionKey: true }))[0]!.evidence.join('\n');
    expect(evidence).toContain(
      "to tell them apart: --owner-email with --owner-password-file: n8n's settings say whether its public API is on, its list of API keys whether it knows this key",
    );
  });
  test('1.116.2: only (b) is left for the deleted key: key-deleted', async () => {
    expect(await modes('1.116.2', 'deleted', { encryptionKey: true })).toEqual(['key-deleted']);
  });
});

describe("with an owner's sign-in: the settings tell (c), the list of keys (b)", () => {
  test.each(VERSIONS)('%s: the deleted key is key-deleted (its user is the owner, n8n does not list it)', async (v) => {
    const [finding] = await judged(v, 'deleted', { owner: true });
    expect(finding!.mode).toBe('key-deleted');
    expect(finding!.evidence.join('\n')).toMatch(/none of the 1 key\(s\) n8n lists/);
  });
  test('2.41.0: the public API off is public-api-disabled, from its settings', async () => {
    const [finding] = await judged('2.41.0', 'api-off', { owner: true });
    expect(finding!.mode).toBe('public-api-disabled');
    expect(finding!.evidence).toContain("n8n's settings, signed in: publicApi.enabled false; /rest/api-keys: 404");
  });
  test.each(VERSIONS)("%s: the foreign key's user is not a user here: (a), or (b) with its user removed", async (v) => {
    expect(await modes(v, 'foreign', { owner: true })).toEqual(['key-rejected']);
    expect(await remaining(v, 'foreign', { owner: true })).toEqual(['(a)', '(b)']);
    // Only the signature tells them apart now: the sign-in given is not asked for again.
    const evidence = (await judged(v, 'foreign', { owner: true }))[0]!.evidence.join('\n');
    expect(evidence).toMatch(/^to tell them apart: --encryption-key-file \(or --jwt-secret-file\)[^;]*$/m);
  });
});

describe('with both: each case named alone', () => {
  test.each(VERSIONS)('%s', async (v) => {
    expect(await modes(v, 'foreign', { encryptionKey: true, owner: true })).toEqual(['key-not-issued-here']);
    expect(await modes(v, 'deleted', { encryptionKey: true, owner: true })).toEqual(['key-deleted']);
    if (v === '2.41.0') expect(await modes(v, 'api-off', { encryptionKey: true, owner: true })).toEqual(['public-api-disabled']);
  });

  test("a key n8n lists yet refuses fits none of the three: key-rejected, pointing at n8n's log", async () => {
    const e = await evidenceFor('2.41.0', 'api-off', { encryptionKey: true });
    const [finding] = judgeRefusedKey({ ...e, owner: readOwnerAnswers(RECORDED['2.41.0'].owner.on) });
    expect(finding!.mode).toBe('key-rejected');
    expect(finding!.evidence.join('\n')).toMatch(/n8n lists this key: "kept"[\s\S]*none of the three causes/);
  });
});
