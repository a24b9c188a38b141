// node --experimental-strip-types scripts/lab-versions.ts [ledger.json]
// Derives fixtures/labs/lab-versions.json (where each lab breaks) from the published ledger,
// docs/versions/ledger.json by default; `npm run versions-ledger` runs it after writing the ledger. What the
// file says of labs judged elsewhere (judgedElsewhere) is kept for the labs the ledger has no result for yet.
import { writeFile } from 'node:fs/promises';
import { labScenarios } from '../src/features/lab/labs.ts';
import { LAB_VERSIONS_FILE, labVersionsJson, labVersionsOf, PUBLISHED_LEDGER, readLabVersions } from '../src/features/lab/lab-versions.ts';
import { readLedger } from '../src/engine/report/ledger-diff.ts';

const ledger = await readLedger(process.argv[2] ?? PUBLISHED_LEDGER);
await writeFile(LAB_VERSIONS_FILE, labVersionsJson(labVersionsOf(ledger, labScenarios(), readLabVersions().judgedElsewhere)));
console.log(`wrote ${LAB_VERSIONS_FILE} from ${process.argv[2] ?? PUBLISHED_LEDGER} (${ledger.versions.join(', ')})`);
