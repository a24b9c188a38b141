import { randomBytes } from 'node:crypto';
import { MailServerContainer, type StartedMailServerContainer } from '../mail-server-container.ts';
import { removeContainer, type StackService } from './stack-service.ts';

/**
 * An SMTP server (smtp-server) that n8n mails its invitations and password resets to, with one
 * user whose password is made per stack. Started before n8n: n8n boots with its SMTP env.
 */
export const mailServerService: StackService<StartedMailServerContainer> = {
  describe: () => 'the SMTP server',
  neededBy: (spec) => spec.mailServer === true,
  images: () => ['mail'],
  start: (ctx) => new MailServerContainer(ctx.image('mail'), randomBytes(12).toString('hex'), ctx.spec.name).withStackNetwork(ctx.network).start(),
  n8nEnv: (mail) => mail.n8nEnv(),
  stop: removeContainer,
};
