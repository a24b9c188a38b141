#!/usr/bin/env node
// The installed package runs the compiled CLI; a checkout without dist/ runs the TypeScript
// sources directly (Node >= 22.18 strips types).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const { cli } = await import(existsSync(compiled) ? compiled.href : new URL('../src/cli/main.ts', import.meta.url).href);
await cli(process.argv.slice(2));
