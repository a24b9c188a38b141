import { fileURLToPath } from 'node:url';

/** The package's own folders, the same from src/ (tests) and dist/ (the installed CLI). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CONTAINERS_DIR = fileURLToPath(new URL('../../../containers/', import.meta.url));
export const FIXTURES_DIR = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
