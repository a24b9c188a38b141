import { mask } from '../base/secrets.ts';
import { didYouMean } from '../base/did-you-mean.ts';
import { UserError } from '../base/user-error.ts';
import { COMMANDS, commandNamed } from './commands.ts';
import { commandHelp, overviewHelp } from './help.ts';
import { refusedPath } from './input-files.ts';
import { out } from './io.ts';
import { parseCommandLine } from './options.ts';

const commandNames = () => [...COMMANDS.filter((c) => !c.hidden).map((c) => c.name), 'help'];

/** `unknown command "lsit" (did you mean list?); commands: run, ...`. */
const unknownCommand = (name: string) => new UserError(`unknown command "${name}"${didYouMean(name, commandNames())}; commands: ${commandNames().join(', ')}`);

/** `authlab <command> [options]`: the command first, then its own options; only that command's body is loaded. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    out(await overviewHelp());
    return 0;
  }
  if (name === 'help') {
    const about = rest[0] === undefined ? undefined : commandNamed(rest[0]);
    if (rest[0] !== undefined && !about) throw unknownCommand(rest[0]);
    out(about ? await commandHelp(about) : await overviewHelp());
    return 0;
  }
  const command = commandNamed(name);
  if (!command && name.startsWith('-'))
    throw new UserError(`give the command first: authlab <command> [options] (got ${name}); commands: ${commandNames().join(', ')}`);
  if (!command) throw unknownCommand(name);
  const { values, args } = parseCommandLine(command, rest);
  if (values.help) {
    out(await commandHelp(command));
    return 0;
  }
  return (await command.load()).run(values, args);
}

export async function cli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (thrown) {
    const err = refusedPath(thrown) ?? thrown;
    const user = err instanceof UserError;
    process.stderr.write(`authlab: ${mask(err instanceof Error ? err.message : String(err))}\n`);
    if (!user && err instanceof Error && err.stack) process.stderr.write(`${mask(err.stack.split('\n').slice(1, 6).join('\n'))}\n`);
    process.exitCode = user ? err.exitCode : 1;
    if (user && err.endsProcess) process.exit(err.exitCode);
  }
}
