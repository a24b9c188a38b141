import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const EXAMPLE = 'examples/own-scenario.test.ts';
const PAGE = 'docs/library.md';

test(`the library page's example is ${EXAMPLE}, which the test run runs`, () => {
  const page = readFileSync(new URL(`../../${PAGE}`, import.meta.url), 'utf8');
  const block = new RegExp(`<!-- example: ${EXAMPLE} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(page)?.[1];
  expect(block, `${PAGE} has no \`\`\`ts block after <!-- example: ${EXAMPLE} -->`).toBeDefined();
  expect(block).toBe(readFileSync(new URL(`../../${EXAMPLE}`, import.meta.url), 'utf8'));
});
