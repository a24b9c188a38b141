import { scenarios } from '../../families/registry.ts';
import type { DoctorVerdict } from '../../core/types.ts';
import { possibleDoctorVerdicts } from '../../core/scenario-doctor.ts';

interface VerifiedFix {
  /** The catalogue scenario that reproduces the mode and verifies the fix. */
  scenario: string;
  fix: string;
}

/** The fixes the catalogue verifies for a mode: each naming scenario's own fix (the correct one where the guide's is wrong). */
export function verifiedFixes(mode: DoctorVerdict): VerifiedFix[] {
  return scenarios
    .filter((s) => s.doctor && possibleDoctorVerdicts(s.doctor).includes(mode))
    .flatMap((s) => {
      const remedy = s.remedies.find((r) => r.source === 'correct') ?? s.remedies.find((r) => r.source === 'guide');
      return remedy ? [{ scenario: s.id, fix: remedy.name }] : [];
    });
}
