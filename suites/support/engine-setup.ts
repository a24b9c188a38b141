import { startCatalogueEngine } from './catalogue-engine.ts';

// With the run's first file, whichever it is: the guide suites' stacks run while the other files do.
startCatalogueEngine();
