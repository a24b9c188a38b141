import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { commandHelp } from '../../src/cli/help.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The pages a person reads: the README and the hand-written pages (docs/findings.md is a generated ledger). */
const GENERATED = new Set(['docs/findings.md']);
const pages = [
  'README.md',
  ...['docs', 'docs/commands'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `${dir}/${f}`),
  ),
].filter((p) => !GENERATED.has(p));

/** Relative links of a Markdown page, `[text](target#anchor)`; code spans and blocks left out. */
function relativeLinks(markdown: string): Array<{ file: string; anchor?: string }> {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => {
      const [file, anchor] = target.split('#');
      return { file: file!, ...(anchor ? { anchor } : {}) };
    });
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes. */
function headingAnchors(markdown: string): Set<string> {
  const headings = [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1]!);
  return new Set(
    headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('a page per command', () => {
  // Every option a command's --help shows (besides --help itself) is named on its page as `--name`.
  test.each(COMMANDS.filter((c) => !c.hidden).map((c) => [c.name, c] as const))(
    'authlab %s has docs/commands/<name>.md naming each of its options',
    async (name, command) => {
      const page = `docs/commands/${name}.md`;
      expect(existsSync(join(ROOT, page)), `${page} is missing: authlab ${name} has no page`).toBe(true);
      const text = read(page);
      const shown = [...((await commandHelp(command)).split('\nOptions:\n')[1] ?? '').matchAll(/^\s+(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]!);
      expect(shown, `authlab ${name} --help lists the options its table declares`).toEqual([...Object.keys(command.options), 'help']);
      const missing = shown.filter((option) => option !== 'help' && !new RegExp(`--${option}(?![\\w-])`).test(text));
      const names = missing.map((o) => `--${o}`);
      expect(names, `${page} does not name these options of authlab ${name}: ${names.join(' ')}`).toEqual([]);
    },
  );

  test("the README's command table names every command and links its page", () => {
    const readme = read('README.md');
    const listed = (name: string) => readme.includes(`| \`authlab ${name}\` |`) && readme.includes(`(docs/commands/${name}.md)`);
    const unlisted = COMMANDS.filter((c) => !c.hidden && !listed(c.name)).map((c) => c.name);
    expect(unlisted, `README.md's command table leaves out: ${unlisted.join(' ')}`).toEqual([]);
  });

  test('no page describes a command the CLI does not have', () => {
    const names = new Set(COMMANDS.map((c) => `${c.name}.md`));
    const strays = readdirSync(join(ROOT, 'docs/commands')).filter((f) => !names.has(f));
    expect(strays, `docs/commands/ has pages of no command: ${strays.join(' ')}`).toEqual([]);
  });
});

describe('the docs hold together', () => {
  test('the README stays under 12 KB', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThan(12 * 1024);
  });

  test.each(pages)('every relative link of %s names a file that exists, and a heading there', (page) => {
    const links = relativeLinks(read(page));
    const files = [...new Set(links.map((l) => l.file).filter((f) => f !== ''))];
    const broken = files.filter((file) => !existsSync(join(ROOT, dirname(page), decodeURI(file))));
    expect(broken, `${page} links to files that do not exist: ${broken.join(' ')}`).toEqual([]);
    const anchored = links.filter((l) => l.anchor && (l.file === '' || l.file.endsWith('.md')) && !broken.includes(l.file));
    const lost = anchored.filter((l) => !headingAnchors(read(l.file ? join(dirname(page), l.file) : page)).has(l.anchor!));
    expect(
      lost.map((l) => `${l.file}#${l.anchor}`),
      `${page} links to headings that do not exist: ${lost.map((l) => `${l.file}#${l.anchor}`).join(' ')}`,
    ).toEqual([]);
  });

  test('docs/README.md links every page of docs/', () => {
    const index = new Set(relativeLinks(read('docs/README.md')).map((l) => l.file));
    const unlisted = pages.filter((p) => p.startsWith('docs/') && p !== 'docs/README.md' && !index.has(p.slice('docs/'.length)));
    expect(unlisted, `docs/README.md does not list these pages: ${unlisted.join(' ')}`).toEqual([]);
  });
});
