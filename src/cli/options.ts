import { parseArgs } from 'node:util';
import { UserError } from '../user-error.ts';

/** One option of one command: what parseArgs needs, and what its help says. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in the usage line: `--n8n <v1,v2>`. */
  value?: string;
  /** Shown without brackets in the usage line (the command says so itself when it is missing). */
  required?: boolean;
  /** May be given more than once: the values come as a list. */
  multiple?: boolean;
  help: string;
}

export type Options = Readonly<Record<string, OptionSpec>>;

/** What a command receives for its options: a string or a flag each, when given. */
export type Values<O extends Options> = {
  -readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string;
};

/** A command's body, loaded when the command runs (a method, so each command's own values type fits the table). */
interface CommandBody<O extends Options> {
  run(values: Values<O>, args: string[]): Promise<number>;
}

/** A command as declared: its options and help, and how to load its body (nothing of it loads before it runs). */
export interface Command<O extends Options = Options> {
  name: string;
  /** The arguments it takes, as the usage line shows them: `<old ledger.json> <new ledger.json>`. */
  args?: string;
  /** How many arguments it takes at most (default: none). */
  maxArgs?: number;
  about: string;
  /** More help that needs a module loaded (the family ids): only for --help. */
  detail?: () => Promise<string>;
  options: O;
  /** Left out of the overview: a command the tool runs itself. */
  hidden?: boolean;
  load(): Promise<CommandBody<O>>;
}

export const defineCommand = <O extends Options>(command: Command<O>): Command<O> => command;

/** The help flag every command takes. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h', help: 'this help' } } as const satisfies Options;

/** The flags of every command that resolves images. */
export const IMAGE_OPTIONS = {
  offline: { type: 'boolean', help: 'build every image from containers/ (also AUTHLAB_OFFLINE=1)' },
  'ca-bundle': { type: 'string', value: 'pem', help: 'a CA bundle for TLS-intercepting proxies (also AUTHLAB_CA_BUNDLE)' },
  registry: { type: 'string', value: 'host[/prefix]', help: 'pull the official images through this Docker Hub mirror (also AUTHLAB_REGISTRY)' },
} as const satisfies Options;

/** The options of a command line, checked against the command's own: an option it does not take is bad input. */
export function parseCommandLine<O extends Options>(command: Command<O>, argv: string[]): { values: Values<O & typeof HELP_OPTION>; args: string[] } {
  const declared: Options = { ...command.options, ...HELP_OPTION };
  const options = Object.fromEntries(
    Object.entries(declared).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec(e.message)?.[1] : undefined;
    if (unknown !== undefined)
      throw new UserError(`${command.name} takes no option ${unknown}; its options: ${optionNames(command)} (authlab ${command.name} --help)`);
    throw new UserError(`${command.name}: ${e.message}`);
  }
  const args = parsed.positionals;
  if (args.length > (command.maxArgs ?? 0))
    throw new UserError(
      `${command.name} takes ${command.args ? `only ${command.args}` : 'no arguments'} (got ${args.map((a) => `"${a}"`).join(' ')}); see authlab ${command.name} --help`,
    );
  return { values: parsed.values as Values<O & typeof HELP_OPTION>, args };
}

const optionNames = (command: Command): string =>
  Object.keys(command.options)
    .map((n) => `--${n}`)
    .join(', ') || 'none but --help';

/** A comma-separated list option: `--family headers,endpoints`. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
