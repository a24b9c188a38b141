// The newest n8n release the npm registry serves in a line (`latest`, `2.x`, ...), and whether the
// published per-version ledger (docs/versions/ledger.json) has a column for it, as a step's outputs:
//   version=2.41.3
//   published=false
import { readFile } from 'node:fs/promises';
import { resolveN8nVersion } from '../../src/parts/images/n8n-versions.ts';
import type { Ledger } from '../../src/engine/report/ledger.ts';

const version = await resolveN8nVersion(process.argv[2] ?? 'latest');
const ledger = JSON.parse(await readFile(new URL('../../docs/versions/ledger.json', import.meta.url), 'utf8')) as Ledger;
console.error(`newest n8n release served in ${process.argv[2] ?? 'latest'}: ${version}; docs/versions has n8n ${ledger.versions.join(', ')}`);
console.log(`version=${version}`);
console.log(`published=${ledger.versions.includes(version)}`);
