/**
 * What n8n answered the doctor's `--mail` probes, recorded from real n8n 2.41.0 and 1.116.2 on the
 * mail-links family's stack (AUTHLAB_RUN_ID=mail31-*, 2026-12-07): "forgot password" for an address
 * no user has, with no mail server and with one, and the public settings (GET /rest/settings, no
 * sign-in), cut to the fields the doctor reads. The doctor's unit tests answer exactly this.
 */
export type Answer = [status: number, body: string];

export const FORGOT = {
  notSetUp: [500, '{"code":500,"message":"Email sending must be set up in order to request a password reset email"}'] as Answer,
  /** n8n 2.41.0 and 1.116.2 alike: nobody to mail, nothing sent. */
  setUp: [200, '{"data":null}'] as Answer,
  /** express-rate-limit's default answer (n8n 1.x: 3 a minute from one address; 2.x: 3 per address in 5 minutes). */
  tooMany: [429, 'Too many requests, please try again later.'] as Answer,
};

/** n8n 2.41.0's public settings name its base URL only in the OIDC login URL. */
export const settingsV2 = (base: string): Answer => [
  200,
  JSON.stringify({
    data: { settingsMode: 'public', userManagement: { smtpSetup: false }, sso: { oidc: { loginEnabled: false, loginUrl: `${base}/rest/sso/oidc/login` } } },
  }),
];

/** n8n 1.116.2's settings (the full set, to anyone) name it as urlBaseEditor. */
export const settingsV1 = (base: string): Answer => [200, JSON.stringify({ data: { urlBaseEditor: `${base}/`, userManagement: { smtpSetup: true } } })];
