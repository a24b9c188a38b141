import { defineFamily } from '../../core/family.ts';
import { browserSignIn } from './browser-sign-in.ts';
import { recoveryCodeReused, withoutCode, wrongCodeRefused } from './login.ts';
import { lostFolder } from './lost-folder.ts';
import { resetWithoutCode } from './password-reset.ts';
import { skewedClock } from './skewed-clock.ts';

export const mfaFamily = defineFamily('mfa', 'Two-factor login: codes, recovery codes, a skewed clock, a lost .n8n folder, a password reset', [
  withoutCode,
  wrongCodeRefused,
  recoveryCodeReused,
  resetWithoutCode,
  browserSignIn,
  skewedClock,
  lostFolder,
]);
