import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * The test run's time in one line at its end, where a CI log's tail shows it: how long before the
 * first file (the global set-up: sweep, image builds), and the files that took longest, from start to end
 * (wall time: the files run one after another, their tests side by side).
 */
export default class TimeSummary implements Reporter {
  private readonly began = Date.now();
  private firstFile: number | undefined;
  private readonly starts = new Map<string, number>();
  private readonly walls = new Map<string, number>();

  onTestModuleStart(module: TestModule): void {
    this.firstFile ??= Date.now();
    this.starts.set(module.moduleId, Date.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const start = this.starts.get(module.moduleId);
    if (start !== undefined) this.walls.set(module.moduleId, Date.now() - start);
  }

  onTestRunEnd(): void {
    const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
    const longest = [...this.walls.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([file, ms]) => `${relative(process.cwd(), file)} ${seconds(ms)}`);
    const before = this.firstFile === undefined ? 'no file started' : `${seconds(this.firstFile - this.began)} before the first file (set-up, images)`;
    console.log(`time: ${seconds(Date.now() - this.began)} in all; ${before}; the longest files: ${longest.join(', ')}`);
  }
}
