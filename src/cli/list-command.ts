import { selectScenarios } from '../families/registry.ts';
import type { LIST_OPTIONS } from './command-options.ts';
import { out } from './io.ts';
import { splitList, type Values } from './options.ts';

export async function run(values: Values<typeof LIST_OPTIONS>): Promise<number> {
  for (const s of selectScenarios({ families: splitList(values.family), sections: splitList(values.section) }))
    out(`${s.id.padEnd(44)} [${s.guide.section}] ${s.title}`);
  return 0;
}
