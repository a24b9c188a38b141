import type { DoctorInput } from '../../parts/diagnosis/doctor.ts';
import type { ScenarioContext } from '../../core/types.ts';
import { nginxOf } from '../browser/support.ts';
import type { StackSpec } from '../../parts/stack/stack-spec.ts';

/**
 * One stack per version for every scenario of the family but the expiry (which shares the clock
 * family's): n8n behind NGINX, mailing through a real SMTP server (smtp-server) with the login it
 * takes, and no public URL set. Each scenario changes n8n's env by a restart; those that break
 * the mail put the right login back as their fix, so no boot is needed to restore n8n after them.
 * Its cookie is not Secure: users open it over plain http by NGINX's name (the doctor checks that too).
 */
export const MAIL_STACK: StackSpec = { name: 'mail-links', proxies: ['nginx'], mailServer: true, env: { N8N_SECURE_COOKIE: 'false' } };

/** n8n's public URL here: NGINX, by its name on the stack network (where the invitee's machine reaches it). */
export const PUBLIC_URL = 'http://nginx';

/** The env n8n builds the links it mails from; none is set on this stack. */
export const BASE_URL_ENV = ['N8N_EDITOR_BASE_URL', 'WEBHOOK_URL', 'N8N_HOST'];

/** The doctor at NGINX by the name users open (http://nginx), connected to its published port: where a mailed link must point. */
export function publicRoute(ctx: ScenarioContext): Pick<DoctorInput, 'proxyUrl' | 'connectTo'> {
  const published = new URL(nginxOf(ctx).getBaseUrl());
  return { proxyUrl: PUBLIC_URL, connectTo: [{ host: new URL(PUBLIC_URL).hostname, port: 80, toHost: published.hostname, toPort: Number(published.port) }] };
}
