// Preloaded with `node --import`: prints each module of the project's src/ that the process loads,
// one `loaded <path>` line on stderr, so a test sees what a command really imports.
import { registerHooks } from 'node:module';

const SRC = new URL('../../src/', import.meta.url).href;
registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith(SRC)) process.stderr.write(`loaded src/${url.slice(SRC.length)}\n`);
    return nextLoad(url, context);
  },
});
