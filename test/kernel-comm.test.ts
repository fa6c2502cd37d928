/** Comm round trips (both directions, with and without binary buffers) driven by jupyter_client. */
import { test } from 'node:test';
import { runUnittest } from './jupyter/harness.js';

test('comms: front-end and kernel-opened, JSON and binary buffers, comm_info, close', { timeout: 120_000 }, async (t) => {
  await runUnittest(t, 'test_comm');
});
