// Preloaded with `node --import`: prints each module of the project's src/ that the process loads,
// one `loaded <path>` line on stderr, and each package the first time one of its files loads
// (`loaded node_modules/<package>`), so a test sees what a command really imports.
import { registerHooks } from 'node:module';

const SRC = new URL('../../src/', import.meta.url).href;
const PACKAGE = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;
const packages = new Set();
registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith(SRC)) process.stderr.write(`loaded src/${url.slice(SRC.length)}\n`);
    const pkg = PACKAGE.exec(url)?.[1];
    if (pkg && !packages.has(pkg)) {
      packages.add(pkg);
      process.stderr.write(`loaded node_modules/${pkg}\n`);
    }
    return nextLoad(url, context);
  },
});
