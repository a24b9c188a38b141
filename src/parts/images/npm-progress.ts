import type { Progress } from './docker-build.ts';

interface InstallProgress {
  /** One line of the build's output. */
  line(text: string): void;
  /** Stops the periodic lines and reports the totals. */
  stop(): void;
}

// npm --loglevel=http: "npm http fetch GET 200 <url>.tgz 156ms (cache miss)" for a download,
// "npm http cache <name>@<url>.tgz 0ms (cache hit)" for a tarball taken from the npm cache, and
// "npm http fetch GET 304 <url> 40ms (cache revalidated)" (or 200) for a package's document.
const DOWNLOADED = /^npm http fetch GET 200 (\S+\.tgz)\b/;
const FROM_CACHE = /^npm http cache \S+?@(\S+\.tgz) .*\(cache hit\)/;
const DOCUMENT = /^npm http fetch GET \d+ (\S+) /;

/**
 * Sums up a build's `npm install --loglevel=http` output as a progress line every `everyMs` (when
 * something moved, else every 4 × `everyMs`): packages so far of about `total`, downloaded or from
 * the shared npm cache.
 * Lines install.sh prints about sqlite3 pass through (npm is done by then).
 */
export function npmInstallProgress(total: number, progress: Progress, everyMs = 15_000): InstallProgress {
  let started = 0; // the first package's line: the build's earlier steps are not npm's time
  const downloaded = new Set<string>();
  const triedInCache = new Set<string>();
  let documents = 0;
  let reported = '';
  let reportedAt = 0;
  // npm logs "cache hit" when it starts reading a tarball from its cache, and a download after it
  // when the cache did not have it: only at the end is "seen and never downloaded" a cache hit.
  const summary = (final: boolean) => {
    const seen = new Set([...downloaded, ...triedInCache]).size;
    const source = final ? `${downloaded.size} downloaded, ${seen - downloaded.size} from the shared npm cache` : `${downloaded.size} downloaded so far`;
    return `${seen} of about ${Math.max(seen, total)} packages (${source}; ${documents} package documents)`;
  };
  // A line when the counts moved, and at least one a minute while npm unpacks what it has.
  const report = (prefix: string, final = false) => {
    const now = summary(final);
    if (started === 0 || (!final && now === reported && Date.now() - reportedAt < 4 * everyMs)) return;
    reported = now;
    reportedAt = Date.now();
    progress(`${prefix}${now}, ${Math.round((Date.now() - started) / 1000)} s`);
  };
  const timer = setInterval(() => report('npm install: '), everyMs);
  timer.unref();
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearInterval(timer);
    report('npm install done: ', true);
  };
  return {
    line(text) {
      const trimmed = text.trim();
      const download = DOWNLOADED.exec(trimmed);
      const hit = download ?? FROM_CACHE.exec(trimmed);
      if (hit) {
        started ||= Date.now();
        (download ? downloaded : triedInCache).add(hit[1]!);
      } else if (DOCUMENT.test(trimmed)) {
        started ||= Date.now();
        documents++;
      } else if (trimmed.startsWith('sqlite3 ')) {
        finish(); // install.sh turns to sqlite3 once npm is done
        progress(trimmed);
      }
    },
    stop: finish,
  };
}

interface LockedPackage {
  version?: string;
  dev?: boolean;
  extraneous?: boolean;
  os?: string[];
  cpu?: string[];
}

/**
 * How many distinct packages (name@version: one tarball each, wherever it is nested) `npm install
 * --omit=dev` puts on linux-x64, from a package-lock.json (about).
 */
export function packagesToInstall(lock: { packages?: Record<string, LockedPackage> }): number {
  const installed = Object.entries(lock.packages ?? {}).filter(
    ([path, p]) => path !== '' && !p.dev && !p.extraneous && (!p.os || p.os.includes('linux')) && (!p.cpu || p.cpu.includes('x64')),
  );
  return new Set(installed.map(([path, p]) => `${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${p.version}`)).size;
}
