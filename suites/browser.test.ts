import { guideSuite } from './support/guide-suite.ts';

guideSuite('browser');
