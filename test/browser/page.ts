/**
 * Browser helpers of the end-to-end tests: Debian's chromium driven by playwright-core (never a
 * downloaded browser), and notebooks written for a test.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether chromium is installed (CI installs it: `apt-get install -y chromium`). */
export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** Launches headless chromium. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** Writes an nbformat 4.5 notebook with these code cells (on the transportlab kernel) into `dir`. */
export function writeNotebook(dir: string, name: string, cells: string[]): string {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'transportlab', display_name: 'TypeScript (transportlab)', language: 'typescript' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null })),
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(nb, null, 1));
  return path;
}
