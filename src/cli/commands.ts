import {
  BISECT_OPTIONS,
  CHECK_OPTIONS,
  DIFF_OPTIONS,
  DOCTOR_OPTIONS,
  IMAGES_OPTIONS,
  INSPECT_KEY_OPTIONS,
  LAB_OPTIONS,
  LAB_SERVE_OPTIONS,
  LIST_OPTIONS,
  RUN_OPTIONS,
  SWEEP_OPTIONS,
  UPGRADE_OPTIONS,
  NEWEST,
  OLDEST,
} from './command-options.ts';
import { type Command, defineCommand } from './options.ts';

/**
 * Every command: its options, its help and how to load its body. This module loads nothing of
 * any command (each body is a lazy import), so `authlab doctor` loads the doctor and not the
 * scenario catalogue.
 */

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

const doctor = defineCommand({
  name: 'doctor',
  about: `Runs the guide's decision tree against a live n8n with real probes (reachable, public API on,
clock, the key's characters, decoding, expiry and signature, /rest vs /api/v1, the path the client
calls, then the proxy: drops, replaces or injects the key, refuses, routes elsewhere, then the
newest executions the key can read: each workflow's latest run, failed on a credential n8n cannot
decrypt or send, an OAuth2 refresh the provider refused, or on a third-party API's 401;
--executions 0 skips; given --webhook-url, one call of it as the client makes it: not registered,
another method, the Webhook node's own authentication refusing it, no credential on the node, a
header n8n's server refuses; given --mcp-url, one MCP initialize as the client sends it: MCP access
off, no token, no Bearer prefix, the public API key given as the MCP token, a token refused,
revoked or for another audience, OAuth discovery broken by a proxy, an MCP Server Trigger refusing
its token; given --mail, whether n8n can send mail at all and where the links it mails point) and names each failure mode with its evidence and the fix the catalogue verified. URLs
may be https (a private CA: --ca-bundle). A URL that does not answer (refused, unknown host, TLS, timeout) is told
with its next steps and what it left unchecked. Never prints the key. Exit 0 healthy, 1 a failure
mode found, 2 bad input, 3 a URL did not answer. Docs: docs/commands/doctor.md`,
  options: DOCTOR_OPTIONS,
  load: () => import('./doctor-command.ts'),
});

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
version of each. --family and --only compare those rows alone (say, the families both catalogues
have). Exit 0 nothing changed, 1 changes, 2 a file that is not a ledger.`,
  options: DIFF_OPTIONS,
  load: () => import('./diff-command.ts'),
});

const list = defineCommand({
  name: 'list',
  about: 'The scenarios, with their guide section and claim.',
  options: LIST_OPTIONS,
  load: () => import('./list-command.ts'),
});

const images = defineCommand({
  name: 'images',
  about: `Resolves (pulls or builds) the images for these n8n versions ahead of a run; --authlab builds the
image that runs authlab itself (docs/install.md: "authlab in a container").`,
  options: IMAGES_OPTIONS,
  load: () => import('./images-command.ts'),
});

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

const inspectKey = defineCommand({
  name: 'inspect-key',
  about: `Decodes an n8n API key: stray characters, iat/exp against this machine's clock, and whether that
instance signed it. Never prints it.`,
  options: INSPECT_KEY_OPTIONS,
  load: () => import('./inspect-key-command.ts'),
});

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
