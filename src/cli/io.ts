import { mask } from '../secrets.ts';

/** A line of the command's output, secrets masked. */
export const out = (line: string): void => {
  process.stdout.write(`${mask(line)}\n`);
};

/** A progress line on stderr, secrets masked. */
export const progress = (line: string): void => {
  process.stderr.write(`  … ${mask(line)}\n`);
};

/** A note to the user on stderr. */
export const note = (line: string): void => {
  process.stderr.write(`authlab: ${line}\n`);
};
