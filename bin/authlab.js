#!/usr/bin/env node
// A checkout runs the TypeScript sources directly (Node >= 22.18 strips types), so it never runs a
// stale build; the published package ships only the compiled dist/.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
const entry = existsSync(sources) ? sources : new URL('../dist/cli/main.js', import.meta.url);
const { cli } = await import(entry.href);
await cli(process.argv.slice(2));
