import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioContext } from '../../core/types.ts';
import { nginxOf } from '../../families/browser/support.ts';
import { mailOf } from '../../families/mail-links/mailbox.ts';
import { PUBLIC_URL } from '../../families/mail-links/stack.ts';
import { MAIL_HTTP_PORT } from '../../parts/stack/mail-server-container.ts';
import { loopbackUrl } from '../../parts/stack/loopback-container.ts';
import { labDir, type LabState } from './lab-state.ts';

/**
 * What a lab whose symptom is a link n8n mailed hands the learner: the invitee's mail client, a
 * script run on the invitee's machine (the mail server's container, on the stack network, as the
 * mail-links family opens its links), the mail server's list of what it received, and NGINX.
 */

export type MailFiles = Pick<LabState, 'mail' | 'proxyUrl'>;

const OPEN_SCRIPT = 'open-mailed-link.js';

/**
 * The invitee's mail client: the newest message, its link to n8n's signup page (as a mail client
 * decodes the HTML's character references), and what that link and the signup page's check of it
 * (GET /rest/resolve-signup-token, what the page asks n8n) answer from the invitee's machine.
 * The link's query is the invitation's token: never printed.
 */
export const MAIL_CLIENT = `// The invitee's mail client, run on the invitee's machine: the newest mail the mail server received,
// its link to n8n's signup page, and what that link answers from here.
const MAILBOX = 'http://localhost:${MAIL_HTTP_PORT}/messages';
const decode = (s) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, '&');
const open = (url) =>
  fetch(url).then(
    async (r) => {
      const type = (r.headers.get('content-type') ?? '').split(';')[0];
      return \`\${r.status} \${type}\${type.includes('json') ? \` \${(await r.text()).slice(0, 200)}\` : ''}\`;
    },
    (e) => \`no answer: \${e.cause?.message ?? e.message}\`,
  );
(async () => {
  const mail = (await (await fetch(MAILBOX)).json()).at(-1);
  if (!mail) return console.log('no mail received yet');
  console.log(\`the newest mail: "\${mail.subject}" to \${mail.to.join(', ')} at \${mail.at}\`);
  const links = decode(\`\${mail.html}\\n\${mail.text}\`).match(/https?:\\/\\/[^\\s"'<>()[\\]]+/g) ?? [];
  const link = links.find((l) => URL.canParse(l) && new URL(l).pathname.endsWith('/signup'));
  if (!link) return console.log("no link to n8n's signup page in it");
  const url = new URL(link);
  console.log(\`its link: \${url.origin}\${url.pathname}?... (its query, the invitation's own, left out)\`);
  console.log(\`opening it from this machine: \${await open(link)}\`);
  console.log(\`the signup page's check of it: \${await open(\`\${url.origin}/rest/resolve-signup-token\${url.search}\`)}\`);
})();
`;

/** The mail client's files from the running stack: the script in the lab's folder, the containers and URLs it names. */
export async function writeMailFiles(id: string, ctx: ScenarioContext): Promise<MailFiles> {
  const mail = mailOf(ctx);
  const openScript = join(labDir(id), OPEN_SCRIPT);
  await writeFile(openScript, MAIL_CLIENT, { mode: 0o600 });
  return {
    mail: {
      container: mail.getName().replace(/^\//, ''),
      openScript,
      mailboxUrl: `${loopbackUrl(mail, MAIL_HTTP_PORT)}/messages`,
      publicUrl: `${PUBLIC_URL}/`,
    },
    proxyUrl: nginxOf(ctx).getBaseUrl().replace(/\/$/, ''),
  };
}

/** The invitee reads its newest mail and opens the link, on its own machine. */
export const mailedLinkCommand = (mail: LabState['mail']): string =>
  `docker exec -i ${mail?.container ?? '<invitee container>'} node - < ${mail?.openScript ?? `<${OPEN_SCRIPT}>`}`;
