// Exit 0 when node_modules holds what package-lock.json says, as npm recorded it when it installed
// (node_modules/.package-lock.json); exit 1 when node_modules or that record is missing, or differs.
// Plain JavaScript on purpose: it runs before the dependencies (and maybe on the machine's own Node).
import { readFileSync } from 'node:fs';

const packagesOf = (file) => JSON.parse(readFileSync(file, 'utf8')).packages ?? {};
try {
  const wanted = packagesOf('package-lock.json');
  const installed = packagesOf('node_modules/.package-lock.json');
  const same = Object.entries(wanted).every(([path, p]) => path === '' || installed[path]?.version === p.version || (p.optional && !installed[path]));
  const extra = Object.keys(installed).some((path) => !(path in wanted));
  process.exit(same && !extra ? 0 : 1);
} catch {
  process.exit(1);
}
