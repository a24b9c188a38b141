import { AbstractStartedContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { registerSecret } from '../../base/secrets.ts';
import { LogBuffer } from './log-buffer.ts';
import { loopbackUrl, LoopbackContainer } from './loopback-container.ts';

/** The ports and network alias of the mail server (containers/mail-server/server.mjs). */
export const MAIL_SMTP_PORT = 2525;
export const MAIL_HTTP_PORT = 8025;
export const MAIL_ALIAS = 'mail';
/** The one SMTP user the server lets in; n8n logs in as it. */
export const MAIL_USER = 'n8n-mailer';
/** The address n8n sends from. */
export const MAIL_SENDER = 'n8n@authlab.test';
/** The JSON line server.mjs prints for each connection, login and message. */
const EVENT_PREFIX = '{"mailEvent":';

/** The env that has n8n mail through an SMTP server (user management's email mode): the server's, or with another password. */
export function smtpEnv(password: string): Record<string, string> {
  return {
    N8N_EMAIL_MODE: 'smtp',
    N8N_SMTP_HOST: MAIL_ALIAS,
    N8N_SMTP_PORT: String(MAIL_SMTP_PORT),
    N8N_SMTP_USER: MAIL_USER,
    N8N_SMTP_PASS: password,
    N8N_SMTP_SENDER: MAIL_SENDER,
    N8N_SMTP_SSL: 'false',
    N8N_SMTP_STARTTLS: 'false',
  };
}

/** Every variable smtpEnv sets: unset together, n8n has no mail server. */
export const SMTP_ENV_NAMES = Object.keys(smtpEnv(''));

/** What the server saw: a connection, a login accepted or refused, a message received. */
export interface MailEvent {
  at: string;
  kind: 'listening' | 'connect' | 'auth.accepted' | 'auth.refused' | 'mail.received' | 'mail.unreadable' | 'smtp.error';
  user?: string;
  method?: string;
  remote?: string;
  from?: string;
  to?: string[];
  subject?: string;
  error?: string;
}

/** A message the server accepted, its parts decoded. */
export interface ReceivedMail {
  at: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/**
 * A real SMTP server (smtp-server) on the stack network, as `mail:2525`: it takes one user's
 * login, keeps every message it accepts and logs every login it judged.
 */
export class MailServerContainer extends LoopbackContainer {
  private readonly password: string;

  constructor(image: string, password: string, stack?: string) {
    super(image, stack);
    this.password = password;
    this.withExposedPorts(MAIL_HTTP_PORT)
      .withEnvironment({ MAIL_SMTP_PORT: String(MAIL_SMTP_PORT), MAIL_HTTP_PORT: String(MAIL_HTTP_PORT), MAIL_USER, MAIL_PASSWORD: password })
      .withWaitStrategy(Wait.forLogMessage('"kind":"listening"'))
      .withStartupTimeout(60_000);
  }

  withStackNetwork(network: StartedNetwork): this {
    return this.withNetwork(network).withNetworkAliases(MAIL_ALIAS);
  }

  override async start(): Promise<StartedMailServerContainer> {
    const logs = new LogBuffer();
    this.withLogConsumer((s) => logs.attach(s));
    return new StartedMailServerContainer(await super.start(), logs, registerSecret(this.password, 'password'));
  }
}

export class StartedMailServerContainer extends AbstractStartedContainer {
  readonly logLines: LogBuffer;
  /** The password the server takes for MAIL_USER. */
  readonly password: string;

  constructor(started: StartedTestContainer, logs: LogBuffer, password: string) {
    super(started);
    this.logLines = logs;
    this.password = password;
  }

  /** The env that has n8n mail through this server with the right login. */
  n8nEnv(): Record<string, string> {
    return smtpEnv(this.password);
  }

  /** Every message it accepted so far, oldest first. */
  async receivedMail(): Promise<ReceivedMail[]> {
    const answer = await fetch(`${loopbackUrl(this, MAIL_HTTP_PORT)}/messages`);
    if (!answer.ok) throw new Error(`the mail server did not list its messages: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as ReceivedMail[];
  }

  /**
   * Every message to `address`, once more than `after` of them came, or when `timeoutMs` passed
   * (n8n sends before it answers, but a refused send never arrives).
   */
  async mailTo(address: string, after = 0, timeoutMs = 5000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = (await this.receivedMail()).filter((m) => m.to.includes(address));
      if (mail.length > after || Date.now() > deadline) return mail;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Its auth and received-mail log since `mark` (a `logLines.mark()`). */
  events(mark = 0): MailEvent[] {
    return this.logLines
      .since(mark)
      .filter((l) => l.startsWith(EVENT_PREFIX))
      .map((l) => (JSON.parse(l) as { mailEvent: MailEvent }).mailEvent);
  }
}
