/** `transportlab`, `transportlab/kernel`, tfjs and arquero resolve in cells of a kernel started outside the package. */
import { test } from 'node:test';
import { runUnittest } from './jupyter/harness.js';

test('module resolution from a notebook directory outside the package', { timeout: 120_000 }, async (t) => {
  await runUnittest(t, 'test_resolution');
});
