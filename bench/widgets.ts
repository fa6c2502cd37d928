/**
 * `npm run bench:widgets`: what live widgets cost the loop they watch. Times the MALA run of the
 * browser end-to-end tests (GMM-40, 32 chains, 500 warm-up + `--steps` sampling steps, fused
 * kernel) with no observer and with each widget observing it (`marginals`, `essOverTime`,
 * `lossCurve`, all three), and prints the median wall time of each, its overhead over the bare
 * run, the updates sent and their bytes.
 *
 * The widgets run as in a kernel: a publisher is installed, so each one opens its comm, displays
 * itself and sends coalesced updates (≤ 20 Hz), and every message is serialised and signed into
 * Jupyter wire frames with `encode` (src/kernel/wire.ts) exactly as the kernel does before its
 * ZeroMQ send; only the socket write is left out. Runs alternate between configurations
 * (round-robin, `--reps` rounds) so a drift of the machine's speed hits all alike.
 *
 *   npm run bench:widgets -- --steps 10000 --reps 5
 */
import { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { ready, tf } from '../src/core/backend.js';
import { setPublisher } from '../src/kernel/context.js';
import { encode, newHeader, Signer } from '../src/kernel/wire.js';
import { median } from './workload.js';
import { essOverTime, lossCurve, mala, marginals, random, run, targets, type Observer } from '../src/index.js';

const cli = new Command('bench:widgets')
  .option('--steps <n>', 'sampling steps per run', (v) => Number.parseInt(v, 10), 10_000)
  .option('--reps <n>', 'timed runs per configuration', (v) => Number.parseInt(v, 10), 5)
  .parse();
const { steps, reps } = cli.opts<{ steps: number; reps: number }>();
if (!(Number.isInteger(steps) && steps > 0)) throw new Error(`--steps: expected a positive integer, got ${steps}`);
if (!(Number.isInteger(reps) && reps > 0)) throw new Error(`--reps: expected a positive integer, got ${reps}`);

/** Wire traffic: messages and bytes (JSON frames + binary buffers) since the last reset. */
const traffic = { messages: 0, bytes: 0 };
const signer = new Signer(randomUUID());
const session = randomUUID();
setPublisher((msgType, content, extras) => {
  const frames = encode({ identities: [Buffer.from('iopub')], header: newHeader(msgType, session), parent_header: {}, metadata: extras?.metadata ?? {}, content, buffers: extras?.buffers ?? [] }, signer);
  traffic.messages++;
  traffic.bytes += frames.reduce((s, f) => s + f.length, 0);
});

const configs: Record<string, () => Observer[]> = {
  'no widget': () => [],
  marginals: () => [marginals({ dims: [0, 1], bins: 60, bins2d: 40 })],
  essOverTime: () => [essOverTime({ dims: [0], points: 60 })],
  lossCurve: () => [lossCurve({ names: ['acceptance'] })],
  'all three': () => [marginals({ dims: [0, 1], bins: 60, bins2d: 40 }), essOverTime({ dims: [0], points: 60 }), lossCurve({ names: ['acceptance'] })],
};

await ready();
const target = targets.gmm40();
const n = 32;
const x0 = random.uniform(random.key(1), n * 2, -40, 40);
const once = async (observers: Observer[]) => {
  traffic.messages = 0;
  traffic.bytes = 0;
  const t0 = performance.now();
  await run(random.key(2), mala(target), x0, n, { warmup: 500, steps, stepSize: 0.5, observers });
  return { ms: performance.now() - t0, messages: traffic.messages, bytes: traffic.bytes };
};

await once(configs['all three']()); // warm-up: kernels compiled, caches filled, the plotly bundle of the static fallback sent once
const tensors = tf.memory().numTensors;
const results = new Map<string, { ms: number; messages: number; bytes: number }[]>();
for (let r = 0; r < reps; r++) {
  for (const [name, make] of Object.entries(configs)) {
    results.set(name, [...(results.get(name) ?? []), await once(make())]);
    process.stderr.write(`\rround ${r + 1}/${reps} ${name.padEnd(12)}`);
  }
}
process.stderr.write('\n');
if (tf.memory().numTensors !== tensors) throw new Error(`tensors leaked: ${tensors} → ${tf.memory().numTensors}`);

const bare = median(results.get('no widget')!.map((x) => x.ms));
console.log(`MALA on GMM-40, 32 chains, 500 + ${steps} steps; median of ${reps} runs each (round-robin)\n`);
console.log('| observers | ms | overhead | updates sent | MB sent |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, xs] of results) {
  const ms = median(xs.map((x) => x.ms));
  const overhead = name === 'no widget' ? '—' : `${ms - bare >= 0 ? '+' : ''}${(ms - bare).toFixed(0)} ms (${(((ms - bare) / bare) * 100).toFixed(1)}%)`;
  console.log(`| ${name} | ${ms.toFixed(0)} | ${overhead} | ${median(xs.map((x) => x.messages))} | ${(median(xs.map((x) => x.bytes)) / 1e6).toFixed(2)} |`);
}
setPublisher(undefined);
