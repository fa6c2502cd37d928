/**
 * The set-up of a browser end-to-end test: a fresh notebook directory holding one notebook,
 * `transportlab lab`'s server for one front-end on it (startFrontend, src/cli/frontend.ts) and
 * headless chromium (./page.ts). A test opens a session in `before` and closes it in `after`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startFrontend, type FrontendUi, type RunningFrontend } from '../../src/cli/frontend.js';
import { launch, writeNotebook } from './page.js';

/** What {@link openSession} sets up. */
export interface SessionOptions {
  /** The front-end served. */
  ui: FrontendUi;
  /** The notebook's file name, e.g. `live.ipynb`. */
  notebook: string;
  /** Its code cells (see ./cells.ts). */
  cells: string[];
  /** Empty folders made beside the notebook (for a file list). */
  folders?: string[];
}

/** A running front-end with its notebook directory and a browser. */
export interface Session {
  /** The notebook directory (the server's root). */
  dir: string;
  server: RunningFrontend;
  browser: Browser;
  /** Closes the browser, stops the server and removes the directory. */
  close(): Promise<void>;
}

/** Writes the notebook into a fresh directory, starts the front-end on it and launches chromium; undoes what it did if a step fails. */
export async function openSession(opts: SessionOptions): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), `tl-e2e-${opts.ui}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let server: RunningFrontend | undefined;
  try {
    for (const folder of opts.folders ?? []) mkdirSync(join(dir, folder));
    writeNotebook(dir, opts.notebook, opts.cells);
    const started = await startFrontend({ ui: opts.ui, dir, log: () => undefined });
    server = started;
    const browser = await launch();
    const close = async () => {
      try {
        await browser.close();
      } finally {
        await started.stop();
        remove();
      }
    };
    return { dir, server: started, browser, close };
  } catch (e) {
    await server?.stop();
    remove();
    throw e;
  }
}
