/** Cell code rewriting for interrupts (every await operand through a checkpoint) and error contents. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpoint, errorResult, instrumentAwaits, Interrupted } from '../src/kernel/executor.js';
import { newContext, runInContext } from '../src/kernel/context.js';

const CHECKPOINT = '__transportlab_checkpoint__';

test('every await operand goes through the checkpoint; nothing else changes', () => {
  const js = 'const a = await f(await g(1), "await x");\nfor await (const v of it()) { await h(v); }\nconst s = `await ${x}`;';
  assert.equal(
    instrumentAwaits(js),
    'const a = await __transportlab_checkpoint__(f(await __transportlab_checkpoint__(g(1)), "await x"));\n' +
      'for await (const v of it()) { await __transportlab_checkpoint__(h(v)); }\nconst s = `await ${x}`;',
  );
  assert.equal(instrumentAwaits('const x = 1;'), 'const x = 1;');
});

test('the checkpoint stops the rewritten code at its next await once the cell is aborted', async () => {
  const ctx = newContext({ header: { msg_id: 'm' } } as never);
  const steps: number[] = [];
  const body = instrumentAwaits('for (let i = 0; i < 100; i++) { steps.push(i); if (i === 3) abort(); await tick(); }');
  const cell = new Function(CHECKPOINT, 'steps', 'abort', 'tick', `return (async () => { ${body} })();`);
  await runInContext(ctx, () =>
    assert.rejects(cell(checkpoint, steps, () => ctx.controller.abort(), () => new Promise((r) => setTimeout(r, 1))), Interrupted),
  );
  assert.deepEqual(steps, [0, 1, 2, 3]);
  // outside an aborted context the same code runs to the end
  steps.length = 0;
  await runInContext(newContext({ header: { msg_id: 'n' } } as never), () => cell(checkpoint, steps, () => undefined, () => Promise.resolve()));
  assert.equal(steps.length, 100);
});

test('error contents: Error subclasses, thrown non-errors, interrupts', () => {
  const e = errorResult(new RangeError('bad range'));
  assert.equal(e.status, 'error');
  if (e.status !== 'error') return;
  assert.equal(e.ename, 'RangeError');
  assert.equal(e.evalue, 'bad range');
  assert.equal(e.traceback[0], 'RangeError: bad range');
  const s = errorResult('just a string');
  assert.deepEqual(s.status === 'error' && [s.ename, s.evalue], ['Error', "thrown: 'just a string'"]);
  const i = errorResult(new Interrupted());
  assert.deepEqual(i.status === 'error' && [i.ename, i.evalue], ['Interrupted', 'interrupted by the user']);
});
