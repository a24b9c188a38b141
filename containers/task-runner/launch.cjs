// Starts n8n's JS task runner (@n8n/task-runner, already in the n8n image) the way n8n's
// task-runner-launcher does (github.com/n8n-io/task-runner-launcher, internal/commands/launch.go),
// for where the launcher binary itself cannot be had:
//   1. wait until the broker answers GET <N8N_RUNNERS_TASK_BROKER_URI>/healthz;
//   2. exchange N8N_RUNNERS_AUTH_TOKEN for a grant token: POST /runners/auth {"token": ...},
//      retried every RETRY_S seconds for at most GIVE_UP_S seconds (the launcher: 5 s, 60 s);
//   3. start the runner with N8N_RUNNERS_GRANT_TOKEN and N8N_RUNNERS_TASK_BROKER_URI, and without
//      the auth token (the launcher passes only an allow-list of its env).
// The launcher's on-demand handshake (it first registers as a runner and waits for a task) is not
// done: the runner is started at once and stays (N8N_RUNNERS_AUTO_SHUTDOWN_TIMEOUT=0); one that
// exits is started again.
// Each answer of the broker is printed as one JSON line {"brokerExchange": {...}}, the grant token
// replaced by its length: the test reads them back as the recorded exchanges.
const { spawn } = require('node:child_process');

const broker = (process.env.N8N_RUNNERS_TASK_BROKER_URI || 'http://127.0.0.1:5679').replace(/\/$/, '');
const authToken = process.env.N8N_RUNNERS_AUTH_TOKEN || '';
const runnerEntry = process.env.AUTHLAB_RUNNER_ENTRY || '/usr/local/lib/n8n/node_modules/@n8n/task-runner/dist/start.js';
const retryS = Number(process.env.AUTHLAB_LAUNCHER_RETRY_S || 5);
const giveUpS = Number(process.env.AUTHLAB_LAUNCHER_GIVE_UP_S || 60);

const log = (line) => process.stdout.write(`launcher: ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function untilBrokerReady() {
  log('Waiting for task broker to be ready...');
  for (;;) {
    const status = await fetch(`${broker}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(1000);
  }
}

async function exchangeOnce() {
  const url = `${broker}/runners/auth`;
  const record = { method: 'POST', url, requestBody: { token: `<N8N_RUNNERS_AUTH_TOKEN, ${authToken.length} chars>` } };
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: authToken }) });
    const text = await res.text();
    let grant;
    try {
      grant = JSON.parse(text).data?.token;
    } catch {}
    const body = grant ? text.replace(grant, `<grant token, ${grant.length} chars>`) : text;
    process.stdout.write(`${JSON.stringify({ brokerExchange: { ...record, status: res.status, body } })}\n`);
    if (res.status !== 200) throw new Error(`request to fetch grant token received status code ${res.status}`);
    if (!grant) throw new Error('failed to decode grant token response');
    return grant;
  } catch (err) {
    if (!String(err.message).startsWith('request to fetch') && !String(err.message).startsWith('failed to decode'))
      process.stdout.write(`${JSON.stringify({ brokerExchange: { ...record, error: err.message } })}\n`);
    throw err;
  }
}

async function fetchGrantToken() {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await exchangeOnce();
    } catch (err) {
      log(`Attempt ${attempt} for operation \`grant-token-fetch\` failed, error: failed to fetch grant token: ${err.message}`);
      if ((Date.now() - started) / 1000 + retryS > giveUpS) {
        throw new Error(
          `exhausted retries to fetch grant token: gave up retrying operation \`grant-token-fetch\` on reaching max retry time ${giveUpS}s, last error: failed to fetch grant token: ${err.message}`,
        );
      }
      await sleep(retryS * 1000);
    }
  }
}

// As PID 1 of its container: a stop signal ends the launcher at once, or is passed to the runner.
let runner;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    stopping = true;
    return runner ? runner.kill(signal) : process.exit(143);
  });

// Like the launcher, a runner that exits is launched again with a new grant token: a grant token
// is short-lived, and a runner slow to start (a loaded machine) is refused with 403 "invalid or
// expired grant token" and exits.
function runOnce(grantToken) {
  const env = { ...process.env, N8N_RUNNERS_GRANT_TOKEN: grantToken, N8N_RUNNERS_TASK_BROKER_URI: broker };
  delete env.N8N_RUNNERS_AUTH_TOKEN;
  runner = spawn(process.execPath, [runnerEntry], { env, stdio: 'inherit' });
  return new Promise((resolve) =>
    runner.on('exit', (code, signal) => {
      log(`Runner process exited ${signal ? `on ${signal}` : `with code ${code}`}`);
      resolve();
    }),
  );
}

(async () => {
  for (;;) {
    await untilBrokerReady();
    const grantToken = await fetchGrantToken();
    log('Fetched grant token for runner; launching runner...');
    await runOnce(grantToken);
    if (stopping) process.exit(143);
    runner = undefined;
  }
})().catch((err) => {
  log(`Failed to execute \`launch\` command: failed to fetch grant token for launcher: ${err.message}`);
  process.exit(1);
});
