import { mask } from '../base/secrets.ts';

/** The exit code of a command whose reader went away (`authlab list | head -1`): a shell's 128 + SIGPIPE, as `cat` ends. */
export const EXIT_OUTPUT_CLOSED = 141;

let closed = false;
let endWhenClosed: () => void = () => process.exit(EXIT_OUTPUT_CLOSED);

/** How the command ends when its output is closed (a command holding containers removes them first); by default at once. */
export function whenOutputCloses(end: () => void): void {
  endWhenClosed = end;
}

/** No more output lines: the command was stopped (a signal), and what it does until it exits is no result of its. */
export function stopOutput(): void {
  closed = true;
}

// A closed pipe ends the output quietly: no EPIPE stack trace, nothing more written.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', () => {
    if (closed) return;
    closed = true;
    endWhenClosed();
  });

const write = (stream: NodeJS.WriteStream, text: string): void => {
  if (!closed) stream.write(text);
};

/** A line of the command's output, secrets masked. */
export const out = (line: string): void => write(process.stdout, `${mask(line)}\n`);

/** A progress line on stderr, secrets masked. */
export const progress = (line: string): void => write(process.stderr, `  … ${mask(line)}\n`);

/** A note to the user on stderr. */
export const note = (line: string): void => write(process.stderr, `authlab: ${line}\n`);
