import { DEFAULT_N8N_VERSIONS } from '../images/n8n-versions.ts';
import { FAMILY_IDS } from '../scenarios/catalogue.ts';

export const HELP = `authlab: reproduce n8n's "API key not recognized / 401" failure modes on real containers,
apply the guide's fix, and report per n8n version where the guide is right and where it is wrong.

Usage:
  authlab run [--n8n <v1,v2>] [--family <f1,f2>] [--only <id,...>] [--concurrency <n>] [--out <dir>]
              [--offline] [--ca-bundle <pem>] [--registry <host[/prefix]>]
      Runs the catalogue. Prints a line per scenario and a verdict table; writes
      report.json (every observation), junit.xml and the verdict ledger (ledger.json,
      ledger.md, ledger.html) to --out (default ./authlab-reports).
      Default version: ${DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]}. Families: ${FAMILY_IDS.join(', ')}.
      --concurrency: stacks side by side (default: what this machine holds, one per core up to
      its memory at about 3 GiB a stack, at most 4). --n8n takes any list of versions, each exact
      or as a line (1.123.x, 2.x, latest: the newest release the npm registry serves in it).
  authlab upgrade [--from <v>] [--to <v>] [--out <dir>] [--offline] [--registry <host[/prefix]>]
      The upgrade check (default ${DEFAULT_N8N_VERSIONS[0]} -> ${DEFAULT_N8N_VERSIONS[DEFAULT_N8N_VERSIONS.length - 1]}): on --from, an owner, an API key,
      a credential and a workflow that uses it, on PostgreSQL; n8n replaced by --to over the same
      data; the key, the credential and the workflow must still work; what changed is reported; then
      back to --from (the downgrade is reported, not required). Writes upgrade.json,
      upgrade-junit.xml and upgrade.md. Exit 1 when the upgrade breaks any of the three.
  authlab check --compose <docker-compose.yml> [--service <n8n>] [--nginx <file|dir>] [--env-file <f>]
                [--n8n <version>] [--to <version>] [--out <dir>] [--offline] [--registry <host[/prefix]>]
      The pre-deploy check: reproduces the deployment in the files (its n8n version and env with
      test secrets, its volumes' shape, its NGINX config with the upstream rewritten and TLS
      replaced) and checks that the key reaches n8n through every NGINX location that routes the
      public API, that the public API answers at /api/v1, that the encryption key survives a
      container recreate, that queue workers share the main's key, that N8N_PROXY_HOPS and the
      URLs are set behind a proxy, and (--to) that the upgrade keeps keys, credentials and
      workflows working. Writes check.json and check-junit.xml. Exit 0 every check passed, 1 a
      check failed, 2 bad input or something it cannot reproduce (named in one line).
  authlab doctor --url <n8n> [--proxy-url <url>] [--key-file <f> | --key-env <VAR> | --key <key>]
                 [--encryption-key-file <f> | --jwt-secret-file <f>] [--path <p>]
                 [--executions <n, default 20> --since-minutes <m, default 60>] [--json] [--verbose]
                 [--webhook-url <url> [--webhook-method POST] [--webhook-header 'Name: value' ...]]
      Runs the guide's decision tree against a live n8n with real probes (reachable, public API on,
      clock, the key's characters, decoding, expiry and signature, /rest vs /api/v1, the path the
      client calls, then the proxy: drops, replaces or injects the key, refuses, routes elsewhere,
      then the newest executions the key can read: each workflow's latest run, failed on a
      credential n8n cannot decrypt or send, or on a third-party API's 401; --executions 0 skips)
      and, given --webhook-url, one call of it as the client makes it: not registered (test URL
      with no editor listening, workflow not published), another method, the Webhook node's own
      authentication refusing it, no credential on the node, a header n8n's server refuses)
      and names each failure mode with its evidence and the fix the catalogue verified. Never
      prints the key (--key works, but leaves it in ps and shell history: prefer the other two). Exit 0 healthy, 1 a failure mode found, 2 bad input.
  authlab lab list | <scenario> [--n8n <v>] [--port <p>] [--registry <host[/prefix]>]
                [--check | --reset | --down | --hint <n> | --compose <dir>]
      Training labs. "lab <scenario>" starts the broken stack and leaves it running (its own
      process holds it), and prints the URLs, the symptom to reproduce, the NGINX config to edit
      and how to reload it, and the first hint. --check re-runs the probes of the verified fix
      against the live stack (exit 0 fixed, 1 not yet); --reset breaks it again; --hint n climbs
      the hint ladder; --down stops it and removes everything. --compose <dir> writes the lab as a
      docker compose project (n8n, NGINX, the broken config, a README) instead of starting it.
      --port p publishes NGINX on 127.0.0.1:p (a stable URL for handouts; default: a free port);
      a port in use is named at once, before anything starts.
  authlab diff <old ledger.json> <new ledger.json>
      What changed between two runs' ledgers, a line per change: rows added or removed, headlines,
      each of the four answers (does the failure happen; does n8n answer as the guide says; does the
      guide's fix fix it; which fix was verified), behaviours and the verified fix. Versions in both are compared one by one;
      with none in common (an upgrade), the last version of each. Exit 0 nothing changed, 1 changes.
  authlab list [--family <f>] [--section <s>]
                                     The scenarios, with their guide section and claim (--section: a guide
                                     section such as D, 3.1, 'Quick fix', or 'not in the guide').
  authlab images --n8n <v1,v2> [--registry <host[/prefix]>]
                                     Resolves (pulls or builds) the images for these versions ahead of a run.
  authlab inspect-key (--key-file <f> | --key-env <VAR>) [--encryption-key-file <f> | --jwt-secret-file <f>]
                                     Decodes an n8n API key: stray characters, iat/exp against this
                                     machine's clock, and whether that instance signed it. Never prints it.
  authlab sweep [--all]              Removes containers, networks and volumes an earlier killed run left
                                     (--all: everything of this project's, also of live runs).
  authlab help                       This text.

Images: the official n8nio/n8n:<version> when a registry serves it, else built from containers/ with
the npm registry (minutes, once per version). --offline or AUTHLAB_OFFLINE=1 always builds;
--ca-bundle or AUTHLAB_CA_BUNDLE adds a CA bundle for TLS-intercepting proxies.
--registry <host[:port][/prefix]> or AUTHLAB_REGISTRY pulls the official images (n8n, nginx, caddy,
postgres, redis, traefik, debian) through a mirror of Docker Hub instead of from Docker Hub:
<mirror>/n8nio/n8n:<version>, <mirror>/library/nginx:<tag>; each is then tagged with its official
name. An image the mirror does not serve is built offline (Docker Hub is not tried).

Verdicts: each scenario answers four questions (does the failure happen; does n8n or the proxy
answer as the guide says; does the guide's fix resolve it; which fix this project verified) and
shows one headline from them: "real, as the guide says", "real; answers 403, not 401", "real; the
guide's fix fails", "does not happen", "works as the guide says", "fails, unlike the guide says".

Exit codes: 0 every scenario ran and every verified fix worked (where n8n behaves otherwise than the
guide says, that is a finding, not a failure); 1 a scenario could not run, a verified fix failed or the doctor named the wrong
mode; 2 bad input (unknown version, family or scenario, no Docker engine or one gone mid-run, a
file that is not a ledger, a deployment that cannot be reproduced).`;
