import type { Exchange } from '../client/exchange.ts';
import { mailedLinksReading, mailerReading, type MailReading, PROBE_ADDRESS } from './mailer.ts';
import type { FailureModeId } from './modes.ts';

/** A request of the doctor's to a path of `base` (a JSON body makes it a POST), recorded with its others. */
export type MailProbe = (label: string, base: string, path: string, json?: unknown) => Promise<Exchange>;

/**
 * The doctor's `--mail` checks: "forgot password" for an address no user has (n8n checks that it
 * can send before it looks the address up, and mails nobody), then the base URL its public
 * settings name for the links it mails, against the proxy's URL where users reach it.
 */
export async function diagnoseMail(
  url: string,
  proxyUrl: string | undefined,
  probe: MailProbe,
  found: (mode: FailureModeId, ...evidence: string[]) => void,
  notes: string[],
  unchecked: string[],
): Promise<void> {
  const tell = (mode: FailureModeId, reading: MailReading) => {
    if (reading.trap) found(mode, reading.line);
    else (reading.unchecked ? unchecked : notes).push(reading.line);
  };
  tell('mail-not-set-up', mailerReading(await probe('"forgot password" for an address no user has', url, '/rest/forgot-password', { email: PROBE_ADDRESS })));
  tell('mail-links-elsewhere', mailedLinksReading(await probe("n8n's public settings (the base URL of the links it mails)", url, '/rest/settings'), proxyUrl));
}
