/** 100 failing cells then a working one; interrupts of 60-second loops (message and SIGINT), a transportlab run keeping its partial trace; async output routing. */
import { test } from 'node:test';
import { runUnittest } from './jupyter/harness.js';

test('kernel robustness: failures, interrupts, output routing', { timeout: 180_000 }, async (t) => {
  await runUnittest(t, 'test_robustness');
});
