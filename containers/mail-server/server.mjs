// A real SMTP server (smtp-server, by Nodemailer's authors) that n8n mails its invitations and
// password resets to. It requires a login (one user and password, from its env) over plain SMTP
// on the stack network (no STARTTLS offered: n8n runs with N8N_SMTP_SSL=false and
// N8N_SMTP_STARTTLS=false against it), keeps every message it accepts, parsed by mailparser (the
// HTML and text parts decoded, whatever transfer encoding n8n's Nodemailer chose), and prints each
// connection, each login it judged and each message it received as one JSON line
// (`{"mailEvent":...}`): its auth log and its received-mail log, read from the container's log.
// GET /messages on its HTTP port lists what it received.
import { createServer } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const SMTP_PORT = Number(process.env.MAIL_SMTP_PORT ?? 2525);
const HTTP_PORT = Number(process.env.MAIL_HTTP_PORT ?? 8025);
const USER = process.env.MAIL_USER ?? 'n8n';
const PASSWORD = process.env.MAIL_PASSWORD ?? '';

const log = (event) => console.log(JSON.stringify({ mailEvent: { at: new Date().toISOString(), ...event } }));
/** Every message accepted, oldest first. */
const received = [];

const smtp = new SMTPServer({
  authMethods: ['PLAIN', 'LOGIN'],
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  banner: 'authlab mail server',
  onConnect(session, callback) {
    log({ kind: 'connect', remote: session.remoteAddress });
    callback();
  },
  onAuth(auth, session, callback) {
    const ok = auth.username === USER && auth.password === PASSWORD;
    log({ kind: ok ? 'auth.accepted' : 'auth.refused', user: auth.username, method: auth.method, remote: session.remoteAddress });
    if (!ok) return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    callback(null, { user: auth.username });
  },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const message = {
          at: new Date().toISOString(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : '',
        };
        received.push(message);
        log({ kind: 'mail.received', from: message.from, to: message.to, subject: message.subject });
        callback();
      })
      .catch((err) => {
        log({ kind: 'mail.unreadable', error: String(err) });
        callback(err);
      });
  },
});
smtp.on('error', (err) => log({ kind: 'smtp.error', error: String(err) }));

const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const http = createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (req.method === 'GET' && path === '/messages') return json(res, 200, received);
  if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
  json(res, 404, { error: `no route ${req.method} ${path}` });
});

smtp.listen(SMTP_PORT, () => http.listen(HTTP_PORT, () => log({ kind: 'listening', smtpPort: SMTP_PORT, httpPort: HTTP_PORT, user: USER })));
