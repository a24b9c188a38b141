import { DEFAULT_N8N_VERSIONS } from '../parts/images/n8n-versions.ts';
import { IMAGE_OPTIONS } from './options.ts';

/**
 * Each command's options, apart from the commands: commands.ts declares the commands with them, and
 * each command's body (*-command.ts) types its parsed values with them, without importing commands.ts back.
 */
export const OLDEST = DEFAULT_N8N_VERSIONS[0]!;
export const NEWEST = DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!;
const OUT = { type: 'string', value: 'dir', help: 'where the reports go (default ./authlab-reports)' } as const;

export const RUN_OPTIONS = {
  n8n: { type: 'string', value: 'v1,v2', help: `n8n versions, each exact or a line (1.123.x, 2.x, latest); default ${NEWEST}` },
  family: { type: 'string', value: 'f1,f2', help: 'only these families' },
  only: { type: 'string', value: 'id,...', help: 'only these scenarios (or an id prefix such as headers.)' },
  concurrency: { type: 'string', value: 'n', help: 'stacks side by side (default: one per core as memory allows, at most 4)' },
  'fail-on': { type: 'string', value: 'kind,...', help: 'verdict kinds that fail their JUnit case and the exit code (e.g. answers-otherwise,guide-fix-fails)' },
  shard: { type: 'string', value: 'i/n', help: "only the i-th of n parts of the plan: whole stacks, balanced by measured costs (one CI job's share)" },
  out: OUT,
  ...IMAGE_OPTIONS,
} as const;

export const DIFF_OPTIONS = {
  family: { type: 'string', value: 'f1,f2', help: "only these families' rows (in both ledgers)" },
  only: { type: 'string', value: 'id,...', help: 'only these scenarios (or an id prefix such as headers.)' },
} as const;

export const UPGRADE_OPTIONS = {
  path: { type: 'string', value: 'v1,v2,...', help: 'the versions in the order n8n is upgraded (each exact or a line: 1.123.x)' },
  from: { type: 'string', value: 'v', help: `the version upgraded from, a two-step path (default ${OLDEST})` },
  to: { type: 'string', value: 'v', help: `the version upgraded to (default ${NEWEST})` },
  database: { type: 'string', value: 'sqlite,postgres', help: "n8n's database, each run side by side (default postgres)" },
  out: OUT,
  ...IMAGE_OPTIONS,
} as const;

export const CHECK_OPTIONS = {
  compose: { type: 'string', value: 'docker-compose.yml', required: true, help: 'the compose file of the deployment' },
  service: { type: 'string', value: 'n8n', help: "n8n's service in it (default: the one running n8n's image)" },
  nginx: { type: 'string', value: 'file|dir', help: 'this NGINX config in front of it (default: the proxy the compose file runs)' },
  'env-file': { type: 'string', value: 'f', help: 'the .env compose reads' },
  n8n: { type: 'string', value: 'version', help: "the version to check (default: the compose file's)" },
  to: { type: 'string', value: 'version', help: 'also check the upgrade to this version' },
  'print-version': { type: 'boolean', help: 'print the n8n release the file would be checked as, and exit (no Docker)' },
  out: OUT,
  ...IMAGE_OPTIONS,
} as const;

export const DOCTOR_OPTIONS = {
  url: { type: 'string', value: 'n8n', required: true, help: "n8n's own address, http:// or https://, e.g. http://localhost:5678" },
  'proxy-url': { type: 'string', value: 'url', help: 'the address of the proxy in front of it, e.g. https://n8n.example.com' },
  'key-file': { type: 'string', value: 'f', help: 'the API key, read byte for byte from a file' },
  'key-env': { type: 'string', value: 'VAR', help: 'the API key, from an environment variable (unset: bad input; set but empty: key-missing)' },
  key: { type: 'string', value: 'key', help: 'the API key itself (left in ps and shell history: prefer the other two)' },
  'encryption-key-file': { type: 'string', value: 'f', help: "n8n's encryption key, to check the key's signature" },
  'jwt-secret-file': { type: 'string', value: 'f', help: "n8n's N8N_USER_MANAGEMENT_JWT_SECRET, to check the key's signature" },
  'owner-email': { type: 'string', value: 'email', help: "an owner's (or admin's) sign-in: a refused key is judged on what n8n says of its API and keys" },
  'owner-password-file': { type: 'string', value: 'f', help: "that user's password, from a file" },
  'owner-password-env': { type: 'string', value: 'VAR', help: "that user's password, from an environment variable" },
  'owner-password': { type: 'string', value: 'p', help: 'the password itself (left in ps and shell history: prefer the other two)' },
  path: { type: 'string', value: 'p', help: 'the path the client calls' },
  executions: { type: 'string', value: 'n', help: 'how many of the newest executions to read (default 20; 0 skips)' },
  'since-minutes': { type: 'string', value: 'm', help: 'how far back those executions count (default 60)' },
  'webhook-url': { type: 'string', value: 'url', help: 'a webhook URL to call once as the client calls it' },
  'webhook-method': { type: 'string', value: 'POST', help: 'the method of that call (default GET)' },
  'webhook-header': { type: 'string', value: 'Name: value', multiple: true, help: 'a header of that call (again for more)' },
  push: { type: 'boolean', help: 'the editor shows "Connection lost": check its push websocket straight and through --proxy-url' },
  mail: {
    type: 'boolean',
    help: 'invitations or password resets never arrive: can n8n send mail at all, and do its mailed links point at --proxy-url (nothing is mailed)',
  },
  'mcp-url': { type: 'string', value: 'url', help: "an MCP client's URL: <n8n>/mcp-server/http or an MCP Server Trigger's <n8n>/mcp/<path>" },
  'mcp-token-file': { type: 'string', value: 'f', help: "what the MCP client sends in Authorization ('Bearer <token>'), from a file" },
  'mcp-token-env': { type: 'string', value: 'VAR', help: 'the same from an environment variable (unset: bad input; set but empty: mcp-token-missing)' },
  'mcp-token': { type: 'string', value: 'value', help: 'the same on the command line (left in ps and shell history: prefer the other two)' },
  'mcp-header': { type: 'string', value: 'Name', help: "the header the token goes in (default Authorization; a trigger's Header Auth names its own)" },
  // Not IMAGE_OPTIONS' --ca-bundle (npm inside image builds): the doctor builds no image.
  'ca-bundle': {
    type: 'string',
    value: 'pem',
    help: "for https URLs: the CA that signs the instance's certificate (a private CA, or the self-signed certificate itself), trusted beside the system's",
  },
  insecure: { type: 'boolean', help: 'for https URLs: do not check the certificate (as curl -k)' },
  'connect-to': {
    type: 'string',
    value: 'H1:P1:H2:P2',
    multiple: true,
    help: "as curl's: requests for host H1 port P1 connect to H2:P2 instead (a public name that does not resolve here); URL, Host and TLS name unchanged",
  },
  json: { type: 'boolean', help: 'the report as JSON' },
  verbose: { type: 'boolean', help: 'also every probe made' },
} as const;

export const LAB_SERVE_OPTIONS = {
  n8n: { type: 'string', value: 'v', help: `the n8n version (default ${NEWEST})` },
  port: { type: 'string', value: 'p', help: 'publish NGINX on 127.0.0.1:p (default: a free port)' },
  ...IMAGE_OPTIONS,
} as const;

export const LAB_OPTIONS = {
  n8n: LAB_SERVE_OPTIONS.n8n,
  port: LAB_SERVE_OPTIONS.port,
  check: { type: 'boolean', help: 'run the probes of the verified fix against the live lab (exit 0 fixed, 1 not yet)' },
  apply: { type: 'boolean', help: "make an edit of the lab's env or clock file live (n8n recreated with it)" },
  reset: { type: 'boolean', help: 'break it again' },
  down: { type: 'boolean', help: 'stop it and remove everything' },
  hint: { type: 'string', value: 'n', help: 'climb the hint ladder' },
  hints: { type: 'boolean', help: 'print the whole hint ladder, for the trainer (no Docker needed)' },
  details: { type: 'boolean', help: 'with list: a block per lab (level steps, measured start and memory, versions)' },
  json: { type: 'boolean', help: 'with list: the same as JSON' },
  compose: { type: 'string', value: 'dir', help: 'write the lab as a docker compose project instead of starting it' },
  ...IMAGE_OPTIONS,
} as const;

export const LIST_OPTIONS = {
  family: { type: 'string', value: 'f', help: 'only these families' },
  section: { type: 'string', value: 's', help: "only this guide section (D, 3.1, 'Quick fix', 'not in the guide')" },
} as const;

export const IMAGES_OPTIONS = {
  n8n: { type: 'string', value: 'v1,v2', help: 'the n8n versions' },
  authlab: { type: 'boolean', help: 'also build the image of authlab itself (authlab/authlab:<version> and :latest)' },
  ...IMAGE_OPTIONS,
} as const;

export const BISECT_OPTIONS = {
  good: { type: 'string', value: 'version', required: true, help: 'a release with the old behaviour' },
  bad: { type: 'string', value: 'version', required: true, help: 'a later release with the new behaviour' },
  skip: { type: 'string', value: 'v1,v2', help: 'releases not to try (known not to build here), as git bisect skip' },
  compare: { type: 'string', value: 'answers|behaviour', help: "what is compared: the verdict's answers (default) or the behaviour signature" },
  'remove-built': { type: 'boolean', help: 'remove the images this bisect built (never others) at the end' },
  out: { type: 'string', value: 'dir', help: 'where bisect.json, bisect.md and the ledger go (default ./authlab-reports/bisect-<scenario>)' },
  ...IMAGE_OPTIONS,
} as const;

export const INSPECT_KEY_OPTIONS = {
  'key-file': { type: 'string', value: 'f', help: 'the key, read byte for byte from a file' },
  'key-env': { type: 'string', value: 'VAR', help: 'the key, from an environment variable' },
  'encryption-key-file': { type: 'string', value: 'f', help: "n8n's encryption key: did that instance sign it?" },
  'jwt-secret-file': { type: 'string', value: 'f', help: "n8n's N8N_USER_MANAGEMENT_JWT_SECRET: did that instance sign it?" },
} as const;

export const SWEEP_OPTIONS = {
  all: { type: 'boolean', help: "everything of this project's, also of live runs" },
} as const;
