import { COMMANDS } from './commands.ts';
import { type Command, flag, HELP_OPTION, type OptionSpec } from './options.ts';

const TITLE = `authlab: reproduce n8n's "API key not recognized / 401" failure modes on real containers,
apply the guide's fix, and report per n8n version where the guide is right and where it is wrong.`;

const FOOTER = `Images: the official n8nio/n8n:<version> when a registry serves it, else built from containers/ with
the npm registry (minutes, once per version). --offline or AUTHLAB_OFFLINE=1 always builds;
--ca-bundle or AUTHLAB_CA_BUNDLE adds a CA bundle for TLS-intercepting proxies.
--registry <host[:port][/prefix]> or AUTHLAB_REGISTRY pulls the official images (n8n, nginx, caddy,
postgres, redis, traefik, debian) through a mirror of Docker Hub instead of from Docker Hub:
<mirror>/n8nio/n8n:<version>, <mirror>/library/nginx:<tag>; each is then tagged with its official
name. An image the mirror does not serve is built offline (Docker Hub is not tried).

Verdicts: each scenario answers four questions (does the failure happen; does n8n or the proxy
answer as the guide says; does the guide's fix resolve it; which fix this project verified) and
shows one headline from them: "real, as the guide says", "real; answers 403, not 401", "real; the
guide's fix fails", "does not happen", "works as the guide says", "fails, unlike the guide".
A failure mode the guide does not cover (section "not in the guide") is judged against what users
are commonly told or n8n's own message: "real, as claimed", "the usual fix works".

Exit codes: 0 every scenario ran and every verified fix worked (where n8n behaves otherwise than the
guide says, that is a finding, not a failure); 1 a scenario could not run, a verified fix failed or the doctor named the wrong
mode; 2 bad input (unknown version, family or scenario, no Docker engine or one gone mid-run, a
file that is not a ledger, a deployment that cannot be reproduced); 141 the output was closed early (| head):
the command stopped quietly, after removing what it had started.`;

const WIDTH = 100;

const flags = (name: string, o: OptionSpec): string => `${o.short ? `-${o.short}, ` : ''}${flag(name, o)}`;

/** `authlab run [--n8n <v1,v2>] ...`, wrapped, the continuation lines under the first option. */
function usageLine(command: Command): string {
  const head = `authlab ${command.name}${command.args ? ` ${command.args}` : ''}`;
  const parts = Object.entries(command.options).map(([name, o]) => (o.required ? flag(name, o) : `[${flag(name, o)}]`));
  const lines = [head];
  for (const part of parts) {
    if (`${lines.at(-1)} ${part}`.length > WIDTH) lines.push(`${' '.repeat(head.length)} ${part}`);
    else lines[lines.length - 1] += ` ${part}`;
  }
  return lines.join('\n');
}

const indent = (text: string, by: number) =>
  text
    .split('\n')
    .map((l) => `${' '.repeat(by)}${l}`)
    .join('\n');

async function about(command: Command): Promise<string> {
  return command.detail ? `${command.about}\n${await command.detail()}` : command.about;
}

/** `authlab <command> --help`: its usage, what it does, and each of its options. */
export async function commandHelp(command: Command): Promise<string> {
  const options = Object.entries({ ...command.options, ...HELP_OPTION }).map(([name, o]) => [flags(name, o), o.help] as const);
  const width = Math.max(...options.map(([f]) => f.length));
  return [`Usage: ${usageLine(command)}`, '', await about(command), '', 'Options:', ...options.map(([f, help]) => `  ${f.padEnd(width)}  ${help}`)].join('\n');
}

/** `authlab --help`: every command's usage and what it does. */
export async function overviewHelp(): Promise<string> {
  const commands: string[] = [];
  for (const c of COMMANDS.filter((c) => !c.hidden)) commands.push(`${indent(usageLine(c), 2)}\n${indent(await about(c), 6)}`);
  return [
    TITLE,
    '',
    'Usage:',
    ...commands,
    '  authlab help [<command>]',
    "      This text, or a command's options (also: authlab <command> --help).",
    '',
    FOOTER,
  ].join('\n');
}
