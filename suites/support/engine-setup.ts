import { cleanupOnSignals } from '../../src/docker/cleanup.ts';
import { startCatalogueEngine } from './catalogue-engine.ts';

// Ctrl-C reaches this worker too: it removes what it started before vitest ends it (the global
// teardown does not run on Ctrl-C, and a worker killed mid-start left its containers).
cleanupOnSignals(undefined, { patient: true });
// With the run's first file, whichever it is: the guide suites' stacks run while the other files do.
startCatalogueEngine();
