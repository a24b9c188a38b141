// What n8n 1.116.2 and 2.41.0 answered an owner's session and the public API, recorded 2026-12-07
// from each image; the answers are in fixtures/doctor/ (keys real n8n minted live under fixtures/, not in suites) (throwaway instances; the encryption key and the keys are theirs):
// public API on, then the same data restarted with N8N_PUBLIC_API_DISABLED=true. A key "kept",
// a key "to-delete" deleted in Settings > n8n API, and a key another instance minted
// (fixtures/keys). Bodies trimmed to the fields n8n sent that the doctor reads (the scopes lists
// and the users' other fields left out, noted where cut); statuses and messages as sent.
import { readFileSync } from 'node:fs';
import type { OwnerAnswers } from '../../src/parts/diagnosis/owner-reading.ts';

interface Recorded {
  keys: { kept: string; deleted: string };
  /** The public API's answers to each key and to none, API on and off. */
  publicApi: Record<'on' | 'off', Record<'kept' | 'deleted' | 'foreign' | 'none', { status: number; body: string }>>;
  /** /rest/settings without a sign-in (API on). */
  settingsWithoutLogin: { status: number; body: string };
  owner: Record<'on' | 'off', OwnerAnswers>;
  wrongPassword: { status: number; body: string };
}

const file = JSON.parse(readFileSync(new URL('../../fixtures/doctor/key-refusal.recorded.json', import.meta.url), 'utf8')) as {
  recordingEncryptionKey: string;
  recorded: Record<'1.116.2' | '2.41.0', Recorded>;
};

export const RECORDING_ENCRYPTION_KEY = file.recordingEncryptionKey;
export const RECORDED = file.recorded;
