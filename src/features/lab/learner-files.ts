import type { Lab } from './lab-catalogue.ts';

/**
 * The learner's copy of a config: comment lines removed (the project's templates explain their
 * faults in comments), leading blank lines too. What is left is what the proxy or n8n reads.
 */
export function withoutComments(text: string): string {
  const kept = text.split('\n').filter((line) => !/^\s*#/.test(line));
  while (kept.length && kept[0]!.trim() === '') kept.shift();
  return kept.join('\n');
}

/** Words too common to give a fault away (a comment may say "n8n" or "proxy"). */
const COMMON = new Set([
  'n8n',
  'proxy',
  'request',
  'requests',
  'header',
  'headers',
  'config',
  'server',
  'every',
  'their',
  'which',
  'without',
  'while',
  'after',
  'before',
]);

/** The words of a lab's id, title and claim that would name its fault. */
function telltales(lab: Lab): string[] {
  const words = `${lab.id.split('.')[1]!.replaceAll('-', ' ')} ${lab.title} ${lab.guide.claim}`.toLowerCase().match(/[a-z_][a-z0-9_-]{4,}/g) ?? [];
  return [lab.id.toLowerCase(), ...new Set(words.filter((w) => !COMMON.has(w)))];
}

/** The comment lines of a learner's file that name the lab's fault, with the word that does. */
export function giveaways(lab: Lab, text: string): string[] {
  const words = telltales(lab);
  return text
    .split('\n')
    .filter((line) => /^\s*(#|\/\/)/.test(line))
    .flatMap((line) => {
      const word = words.find((w) => line.toLowerCase().includes(w));
      return word ? [`${line.trim()} (names "${word}")`] : [];
    });
}
