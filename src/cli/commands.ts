import { DEFAULT_N8N_VERSIONS } from '../images/n8n-versions.ts';
import { type Command, defineCommand, IMAGE_OPTIONS } from './options.ts';

/**
 * Every command: its options, its help and how to load its body. This module loads nothing of
 * any command (each body is a lazy import), so `authlab doctor` loads the doctor and not the
 * scenario catalogue.
 */
const OLDEST = DEFAULT_N8N_VERSIONS[0]!;
const NEWEST = DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]!;
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

const run = defineCommand({
  name: 'run',
  about: `Runs the catalogue. Prints a line per scenario and a verdict table; writes report.json (every
observation), junit.xml and the verdict ledger (ledger.json; ledger.md and ledger.html, each cell's
whole evidence in ledger-evidence.md and .html) to --out. A finding is not a failure: exit 1 only
where the project is at fault, or with --fail-on where a verdict is one of the kinds given.
--concurrency: stacks side by side (default: what this machine holds, one per core up to its memory
at about 3 GiB a stack, at most 4). --n8n takes any list of versions, each exact or as a line
(1.123.x, 2.x, latest: the newest release the npm registry serves in it).`,
  detail: async () => `Families: ${(await import('../families/registry.ts')).FAMILY_IDS.join(', ')}.`,
  options: RUN_OPTIONS,
  load: () => import('./run-command.ts'),
});

export const UPGRADE_OPTIONS = {
  path: { type: 'string', value: 'v1,v2,...', help: 'the versions in the order n8n is upgraded (each exact or a line: 1.123.x)' },
  from: { type: 'string', value: 'v', help: `the version upgraded from, a two-step path (default ${OLDEST})` },
  to: { type: 'string', value: 'v', help: `the version upgraded to (default ${NEWEST})` },
  database: { type: 'string', value: 'sqlite,postgres', help: "n8n's database, each run side by side (default postgres)" },
  out: OUT,
  ...IMAGE_OPTIONS,
} as const;

const upgrade = defineCommand({
  name: 'upgrade',
  about: `The upgrade path (default ${OLDEST} -> ${NEWEST}, or --path 1.116.2,1.123.x,2.8.4,2.41.0): on its first
version, an owner, an API key, a credential and a published workflow that uses it, run by its
production webhook; then n8n replaced by each next version over the same database and data volume
(--database sqlite,postgres: each, side by side). After each step the key, the webhook, the
workflow and the credential must still work; what changed from the step before is the ledger diff
of the two steps' ledgers; then back one version (the downgrade is reported, not required). A
version that does not start over the data ends the path, with its log lines. Writes per database
upgrade-<db>.json, upgrade-<db>-junit.xml, upgrade-<db>.md and each step's ledger in upgrade-<db>/,
and upgrade.md for all. Exit 1 when a step fails.`,
  options: UPGRADE_OPTIONS,
  load: () => import('./upgrade-command.ts'),
});

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

const check = defineCommand({
  name: 'check',
  about: `The pre-deploy check: reproduces the deployment in the files (its n8n version and env with
test secrets, its volumes' shape, the NGINX, Caddy or Traefik in the file with the upstream rewritten
and TLS replaced; Traefik's labels are read where its image cannot be had) and checks that the key
reaches n8n through every proxy route to the public API, that a path prefix is stripped and known, that
the public API answers at /api/v1, that the encryption key survives a container recreate, that
queue workers share the main's key, that N8N_PROXY_HOPS and the URLs are set behind a proxy, and
(--to) that the upgrade keeps keys, credentials and workflows working. Writes check.html, check.json
and check-junit.xml. Exit 0 every check passed, 1 a check failed, 2 bad input or something it cannot
reproduce (named in one line).`,
  options: CHECK_OPTIONS,
  load: () => import('./check-command.ts'),
});

export const DOCTOR_OPTIONS = {
  url: { type: 'string', value: 'n8n', required: true, help: "n8n's own address, http:// or https://, e.g. http://localhost:5678" },
  'proxy-url': { type: 'string', value: 'url', help: 'the address of the proxy in front of it, e.g. https://n8n.example.com' },
  'key-file': { type: 'string', value: 'f', help: 'the API key, read byte for byte from a file' },
  'key-env': { type: 'string', value: 'VAR', help: 'the API key, from an environment variable (unset: bad input; set but empty: key-missing)' },
  key: { type: 'string', value: 'key', help: 'the API key itself (left in ps and shell history: prefer the other two)' },
  'encryption-key-file': { type: 'string', value: 'f', help: "n8n's encryption key, to check the key's signature" },
  'jwt-secret-file': { type: 'string', value: 'f', help: "n8n's N8N_USER_MANAGEMENT_JWT_SECRET, to check the key's signature" },
  path: { type: 'string', value: 'p', help: 'the path the client calls' },
  executions: { type: 'string', value: 'n', help: 'how many of the newest executions to read (default 20; 0 skips)' },
  'since-minutes': { type: 'string', value: 'm', help: 'how far back those executions count (default 60)' },
  'webhook-url': { type: 'string', value: 'url', help: 'a webhook URL to call once as the client calls it' },
  'webhook-method': { type: 'string', value: 'POST', help: 'the method of that call (default GET)' },
  'webhook-header': { type: 'string', value: 'Name: value', multiple: true, help: 'a header of that call (again for more)' },
  push: { type: 'boolean', help: 'the editor shows "Connection lost": check its push websocket straight and through --proxy-url' },
  // Not IMAGE_OPTIONS' --ca-bundle (npm inside image builds): the doctor builds no image.
  'ca-bundle': {
    type: 'string',
    value: 'pem',
    help: "for https URLs: the CA that signs the instance's certificate (a private CA, or the self-signed certificate itself), trusted beside the system's",
  },
  insecure: { type: 'boolean', help: 'for https URLs: do not check the certificate (as curl -k)' },
  json: { type: 'boolean', help: 'the report as JSON' },
  verbose: { type: 'boolean', help: 'also every probe made' },
} as const;

const doctor = defineCommand({
  name: 'doctor',
  about: `Runs the guide's decision tree against a live n8n with real probes (reachable, public API on,
clock, the key's characters, decoding, expiry and signature, /rest vs /api/v1, the path the client
calls, then the proxy: drops, replaces or injects the key, refuses, routes elsewhere, then the
newest executions the key can read: each workflow's latest run, failed on a credential n8n cannot
decrypt or send, or on a third-party API's 401; --executions 0 skips; given --webhook-url, one call
of it as the client makes it: not registered, another method, the Webhook node's own
authentication refusing it, no credential on the node, a header n8n's server refuses) and names
each failure mode with its evidence and the fix the catalogue verified. URLs may be https (a
private CA: --ca-bundle). A URL that does not answer (refused, unknown host, TLS, timeout) is told
with its next steps and what it left unchecked. Never prints the key. Exit 0 healthy, 1 a failure
mode found, 2 bad input, 3 a URL did not answer. Docs: docs/commands/doctor.md`,
  options: DOCTOR_OPTIONS,
  load: () => import('./doctor-command.ts'),
});

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

const lab = defineCommand({
  name: 'lab',
  args: 'list | <scenario>',
  maxArgs: 1,
  about: `Training labs. "lab list" is the trainer's plan, no Docker needed: a row per lab with what
the learner sees (the symptom, never the fault), kind, level, minutes and memory per seat
(measured), and the n8n versions where it breaks (the published ledger); --details or --json for
more. "lab <scenario> --hints" prints the whole hint ladder, also without Docker.
"lab <scenario>" starts the broken stack and leaves it running (its own process holds it), and
prints the URLs, the symptom to reproduce, what to edit (a proxy config, n8n's env, a credential,
the clock offset), how to make the edit live, and the first hint. --check re-runs the probes of
the verified fix against the live stack; --apply makes an env or clock edit live; --reset breaks
it again; --hint n climbs the hint ladder; --down stops it and removes everything. --compose <dir>
writes the lab as a docker compose project (n8n, the proxy, the broken config, a README with
hints that need no authlab) instead of starting it. --port p publishes the proxy on 127.0.0.1:p
(a stable URL for handouts); a port in use is named at once, before anything starts.`,
  options: LAB_OPTIONS,
  load: () => import('./lab-command.ts'),
});

const labServe = defineCommand({
  name: 'lab-serve',
  args: '<scenario>',
  maxArgs: 1,
  about: "The lab's own process, started by `authlab lab <scenario>`: it holds the lab's stack until --down.",
  options: LAB_SERVE_OPTIONS,
  hidden: true,
  load: () => import('./lab-serve-command.ts'),
});

const diff = defineCommand({
  name: 'diff',
  args: '<old ledger.json> <new ledger.json>',
  maxArgs: 2,
  about: `What changed between two runs' ledgers, a line per change: rows added or removed, headlines,
each of the four answers (does the failure happen; does n8n answer as the guide says; does the
guide's fix fix it; which fix was verified), behaviours and the verified fix. Values a run makes up
(ports, temporary folders, timestamps, ids) are not compared: two runs that behaved alike print
nothing. Versions in both are compared one by one; with none in common (an upgrade), the last
version of each. Exit 0 nothing changed, 1 changes, 2 a file that is not a ledger.`,
  options: {},
  load: () => import('./diff-command.ts'),
});

export const LIST_OPTIONS = {
  family: { type: 'string', value: 'f', help: 'only these families' },
  section: { type: 'string', value: 's', help: "only this guide section (D, 3.1, 'Quick fix', 'not in the guide')" },
} as const;

const list = defineCommand({
  name: 'list',
  about: 'The scenarios, with their guide section and claim.',
  options: LIST_OPTIONS,
  load: () => import('./list-command.ts'),
});

export const IMAGES_OPTIONS = {
  n8n: { type: 'string', value: 'v1,v2', help: 'the n8n versions' },
  authlab: { type: 'boolean', help: 'also build the image of authlab itself (authlab/authlab:<version> and :latest)' },
  ...IMAGE_OPTIONS,
} as const;

const images = defineCommand({
  name: 'images',
  about: `Resolves (pulls or builds) the images for these n8n versions ahead of a run; --authlab builds the
image that runs authlab itself (docs/install.md: "authlab in a container").`,
  options: IMAGES_OPTIONS,
  load: () => import('./images-command.ts'),
});

export const BISECT_OPTIONS = {
  good: { type: 'string', value: 'version', required: true, help: 'a release with the old behaviour' },
  bad: { type: 'string', value: 'version', required: true, help: 'a later release with the new behaviour' },
  skip: { type: 'string', value: 'v1,v2', help: 'releases not to try (known not to build here), as git bisect skip' },
  compare: { type: 'string', value: 'answers|behaviour', help: "what is compared: the verdict's answers (default) or the behaviour signature" },
  'remove-built': { type: 'boolean', help: 'remove the images this bisect built (never others) at the end' },
  out: { type: 'string', value: 'dir', help: 'where bisect.json, bisect.md and the ledger go (default ./authlab-reports/bisect-<scenario>)' },
  ...IMAGE_OPTIONS,
} as const;

const bisect = defineCommand({
  name: 'bisect',
  args: '<scenario>',
  maxArgs: 1,
  about: `Names the first n8n release whose behaviour in one scenario differs from --good's, with a link to
its release notes. Over the stable releases the npm registry serves from --good to --bad (semver
order), a binary search: each release tried is built or pulled unless its image is here, and the
scenario runs on it as in "authlab run". Compared (--compare answers): the fields happens,
answersAsGuideSays, guideFix and verifiedFix of the verdict's answers in the ledger cell (what n8n
answered is printed, not compared: it carries counts and times); --compare behaviour: the ledger's
behaviour signature (each symptom exchange's status and outcome). A release that cannot be built or
installed, or on which the scenario cannot be judged, is skipped and named, and a neighbour is tried
(--skip names releases not to try at all, such as those an earlier bisect could not build).
It assumes the behaviour changed once over the releases in semver order. Images it builds are kept
(the cache of the next bisect or run) unless --remove-built. Writes bisect.json, bisect.md and the
ledger of the releases run. Exit 0 named, 1 skipped releases leave it open, 2 bad input (unknown
scenario, a version not served, --good not older than --bad, both behaving the same).`,
  options: BISECT_OPTIONS,
  load: () => import('./bisect-command.ts'),
});

export const INSPECT_KEY_OPTIONS = {
  'key-file': { type: 'string', value: 'f', help: 'the key, read byte for byte from a file' },
  'key-env': { type: 'string', value: 'VAR', help: 'the key, from an environment variable' },
  'encryption-key-file': { type: 'string', value: 'f', help: "n8n's encryption key: did that instance sign it?" },
  'jwt-secret-file': { type: 'string', value: 'f', help: "n8n's N8N_USER_MANAGEMENT_JWT_SECRET: did that instance sign it?" },
} as const;

const inspectKey = defineCommand({
  name: 'inspect-key',
  about: `Decodes an n8n API key: stray characters, iat/exp against this machine's clock, and whether that
instance signed it. Never prints it.`,
  options: INSPECT_KEY_OPTIONS,
  load: () => import('./inspect-key-command.ts'),
});

export const SWEEP_OPTIONS = {
  all: { type: 'boolean', help: "everything of this project's, also of live runs" },
} as const;

const sweep = defineCommand({
  name: 'sweep',
  about: 'Removes containers, networks and volumes an earlier killed run left.',
  options: SWEEP_OPTIONS,
  load: () => import('./sweep-command.ts'),
});

/** The commands in the order the overview shows them. */
export const COMMANDS: readonly Command[] = [run, upgrade, check, doctor, lab, labServe, diff, bisect, list, images, inspectKey, sweep] as Command[];

export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
