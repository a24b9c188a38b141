import { guideSuite } from './support/guide-suite.ts';

guideSuite('n8n-node');
