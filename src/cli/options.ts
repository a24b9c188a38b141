import { parseArgs } from 'node:util';
import { didYouMean } from '../base/did-you-mean.ts';
import { UserError } from '../base/user-error.ts';

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
    throw parseError(command, err as Error & { code?: string });
  }
  for (const [name, value] of Object.entries(parsed.values))
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === 'string' && /^[\s,]*$/.test(v)) throw new UserError(`${command.name}: --${name} is empty; give ${flag(name, declared[name]!)}`);
  const args = parsed.positionals;
  if (args.length > (command.maxArgs ?? 0))
    throw new UserError(
      `${command.name} takes ${command.args ? `only ${command.args}` : 'no arguments'} (got ${args.map((a) => `"${a}"`).join(' ')}); see authlab ${command.name} --help`,
    );
  return { values: parsed.values as Values<O & typeof HELP_OPTION>, args };
}

/** `--n8n <v1,v2>`: an option as its usage shows it. */
export const flag = (name: string, o: OptionSpec): string => `--${name}${o.value ? ` <${o.value}>` : ''}`;

/** parseArgs' complaint in the command's words: an option it does not take (with the one most likely meant), a value missing. */
function parseError(command: Command, e: Error & { code?: string }): UserError {
  const option = /'(-[^' ]+)/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
    const names = Object.keys({ ...command.options, ...HELP_OPTION }).map((n) => `--${n}`);
    return new UserError(
      `${command.name} takes no option ${option}${didYouMean(option, names)}; its options: ${optionNames(command)} (authlab ${command.name} --help)`,
    );
  }
  const spec = option?.startsWith('--') ? command.options[option.slice(2)] : undefined;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && spec)
    return new UserError(
      spec.type === 'string' ? `${command.name}: ${option} needs a value: ${flag(option!.slice(2), spec)}` : `${command.name}: ${option} takes no value`,
    );
  return new UserError(`${command.name}: ${e.message.split('\n')[0]}`);
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

/** A whole-number option (`--concurrency 2`) from `min` (to `max`); anything else is bad input. */
export function wholeNumber(option: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UserError(`${option} takes a whole number ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`} (got ${value})`);
  return n;
}
