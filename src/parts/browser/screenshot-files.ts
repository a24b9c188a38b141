import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Screenshots go into this folder of the reports folder; the ledgers link them by that relative path. */
export const SCREENSHOTS_FOLDER = 'screenshots';
let reportsDir = resolve('authlab-reports');

/** Where this run writes its reports (`authlab run --out`); the test run keeps the default. */
export function setReportsDir(dir: string): void {
  reportsDir = resolve(dir);
}

/** Saves a PNG beside the reports; returns its path relative to the reports folder. */
export async function saveScreenshot(name: string, png: Buffer): Promise<string> {
  const file = `${SCREENSHOTS_FOLDER}/${name.replace(/[^A-Za-z0-9@._-]+/g, '-')}.png`;
  await mkdir(join(reportsDir, SCREENSHOTS_FOLDER), { recursive: true });
  await writeFile(join(reportsDir, file), png);
  return file;
}

/** A screenshot's path as the ledgers link it: only a plain relative path under screenshots/ (nothing that leaves the folder or names a scheme). */
export function linkableScreenshot(file: string): string | undefined {
  return /^screenshots\/[A-Za-z0-9@._-]+\.png$/.test(file) && !file.includes('..') ? file : undefined;
}
