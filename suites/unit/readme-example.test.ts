import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const EXAMPLE = 'examples/own-scenario.test.ts';

test(`the README's library example is ${EXAMPLE}, which the test run runs`, () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = new RegExp(`<!-- example: ${EXAMPLE} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
  expect(block, `README.md has no \`\`\`ts block after <!-- example: ${EXAMPLE} -->`).toBeDefined();
  expect(block).toBe(readFileSync(new URL(`../../${EXAMPLE}`, import.meta.url), 'utf8'));
});
