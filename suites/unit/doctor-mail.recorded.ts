/**
 * What n8n answered the doctor's `--mail` probes, recorded from real n8n 2.41.0 and 1.116.2 on the
 * mail-links family's stack (AUTHLAB_RUN_ID=mail31-a and mail31-b, 2026-12-07): "forgot password" for
 * an address no user has, with no mail server and with one, and the public settings (GET /rest/settings,
 * no sign-in): 2.41.0's whole, 1.116.2's (its full settings, to anyone) cut to the fields the doctor
 * reads. The doctor's unit tests answer exactly this.
 */
export type Answer = [status: number, body: string];

export const FORGOT = {
  /** 2.41.0 and 1.116.2 alike. */
  notSetUp: [500, '{"code":500,"message":"Email sending must be set up in order to request a password reset email"}'] as Answer,
  /** Nobody to mail, nothing sent (2.41.0 and 1.116.2 alike). */
  setUp: [200, '{}'] as Answer,
  /** Not recorded: express-rate-limit's default answer (n8n 1.x: 3 a minute from one address; 2.x: 3 per address in 5 minutes). */
  tooMany: [429, 'Too many requests, please try again later.'] as Answer,
};

/** n8n 2.41.0's public settings (recorded whole) name its base URL only in the OIDC login URL. */
export const settingsV2 = (base: string, smtpSetup = true): Answer => [
  200,
  `{"data":{"settingsMode":"public","defaultLocale":"en","userManagement":{"authenticationMethod":"email","showSetupOnFirstLoad":false,"smtpSetup":${smtpSetup},"passwordMinLength":8},"sso":{"saml":{"loginEnabled":false},"ldap":{"loginEnabled":false,"loginLabel":""},"oidc":{"loginEnabled":false,"loginUrl":"${base}/rest/sso/oidc/login"}},"authCookie":{"secure":false},"previewMode":false,"enterprise":{"saml":false,"ldap":false,"oidc":false},"communityNodesEnabled":true}}`,
];

/** n8n 1.116.2's settings (the full set, to anyone) name it as urlBaseEditor. */
export const settingsV1 = (base: string, smtpSetup = true): Answer => [
  200,
  JSON.stringify({
    data: {
      urlBaseEditor: base,
      userManagement: { quota: -1, showSetupOnFirstLoad: false, smtpSetup, authenticationMethod: 'email' },
      authCookie: { secure: false },
    },
  }),
];
