/**
 * A minimal WebAssembly (with 128-bit SIMD) code emitter for the fused target kernels. Kernels
 * are generated at run time for their fixed shapes (loops over small dimensions unrolled,
 * addresses as constant offsets), so no build step or external assembler is needed. Each module
 * has one exported function `run` and one exported memory `mem`.
 *
 * Encoding: WebAssembly Core Specification 2.0, binary format (§5), and the fixed-width SIMD
 * proposal's opcodes (prefix 0xFD, LEB128 sub-opcode).
 *
 * @module
 */
import { Worker } from 'node:worker_threads';

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** SIMD sub-opcodes (after the 0xFD prefix). */
export const SIMD = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  f32x4ExtractLane: 0x1f,
  f32x4Ge: 0x46,
  and: 0x4e,
  or: 0x50,
  bitselect: 0x52,
  anyTrue: 0x53,
  i32x4Shl: 0xab,
  i32x4Add: 0xae,
  f32x4Abs: 0xe0,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Pmax: 0xeb,
} as const;

function uleb(out: number[], v: number): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
}

function sleb(out: number[], v: number): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** A function body under construction: typed helpers for the instructions the kernels use. */
export class Code {
  readonly bytes: number[] = [];
  private readonly localTypes: number[] = [];

  /** @param params the number of i32 parameters (locals 0 … params − 1). */
  constructor(readonly params: number) {}

  /** A new local of type `type`; returns its index. */
  local(type: number): number {
    this.localTypes.push(type);
    return this.params + this.localTypes.length - 1;
  }
  get(i: number): this {
    this.bytes.push(0x20);
    uleb(this.bytes, i);
    return this;
  }
  set(i: number): this {
    this.bytes.push(0x21);
    uleb(this.bytes, i);
    return this;
  }
  tee(i: number): this {
    this.bytes.push(0x22);
    uleb(this.bytes, i);
    return this;
  }
  i32(v: number): this {
    this.bytes.push(0x41);
    sleb(this.bytes, v | 0);
    return this;
  }
  i32Add(): this {
    this.bytes.push(0x6a);
    return this;
  }
  i32LtU(): this {
    this.bytes.push(0x49);
    return this;
  }
  i32Eqz(): this {
    this.bytes.push(0x45);
    return this;
  }
  /** `block` (label depth +1), `loop`, `end`, `br_if depth`. */
  block(): this {
    this.bytes.push(0x02, 0x40);
    return this;
  }
  loop(): this {
    this.bytes.push(0x03, 0x40);
    return this;
  }
  end(): this {
    this.bytes.push(0x0b);
    return this;
  }
  brIf(depth: number): this {
    this.bytes.push(0x0d);
    uleb(this.bytes, depth);
    return this;
  }
  /** A SIMD instruction; memory instructions take a byte offset (alignment hint: 4 bytes). */
  simd(op: number, offset?: number): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, op);
    if (offset !== undefined) {
      this.bytes.push(2); // align 2^2
      uleb(this.bytes, offset);
    }
    return this;
  }
  /** `f32x4.extract_lane lane`. */
  lane(lane: number): this {
    this.bytes.push(0xfd, SIMD.f32x4ExtractLane, lane);
    return this;
  }
  /** `i8x16.shuffle` selecting f32 lanes: indices 0–3 from the first operand, 4–7 from the second. */
  shuffle32(lanes: [number, number, number, number]): this {
    this.bytes.push(0xfd, 0x0d);
    for (const l of lanes) this.bytes.push(4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3);
    return this;
  }
  /** A v128 constant with four equal f32 lanes. */
  f32x4(v: number): this {
    this.bytes.push(0xfd, 0x0c);
    const b = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  /** A v128 constant with four equal i32 lanes. */
  i32x4(v: number): this {
    this.bytes.push(0xfd, 0x0c);
    const b = new Uint8Array(new Int32Array([v, v, v, v]).buffer);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  drop(): this {
    this.bytes.push(0x1a);
    return this;
  }
  /** `f32.add` of two scalars; `f32.store offset`. */
  f32Add(): this {
    this.bytes.push(0x92);
    return this;
  }
  f32Store(offset: number): this {
    this.bytes.push(0x38, 2);
    uleb(this.bytes, offset);
    return this;
  }

  /** The encoded body: local declarations, instructions, `end`. */
  encode(): number[] {
    const body: number[] = [];
    const groups: Array<[number, number]> = [];
    for (const t of this.localTypes) {
      if (groups.length && groups[groups.length - 1][1] === t) groups[groups.length - 1][0]++;
      else groups.push([1, t]);
    }
    uleb(body, groups.length);
    for (const [count, t] of groups) {
      uleb(body, count);
      body.push(t);
    }
    body.push(...this.bytes, 0x0b);
    return body;
  }
}

/**
 * A kernel's f32x4 constants, stored splatted (16 bytes each) at the start of its memory, so that
 * each use is one load.
 */
export class Constants {
  readonly values: number[] = [];
  constructor(values: number[]) {
    for (const v of values) if (this.index(v) < 0) this.values.push(v);
  }
  private index(v: number): number {
    return this.values.findIndex((u) => Object.is(u, v)); // keeps −0 apart from 0
  }
  /** Bytes the table occupies at address 0. */
  get bytes(): number {
    return this.values.length * 16;
  }
  /** Emits a load of the splatted constant v. */
  load(c: Code, v: number): Code {
    const i = this.index(v);
    if (i < 0) throw new RangeError(`constant ${v} is not in the table`);
    return c.i32(0).simd(SIMD.load, 16 * i);
  }
  /** Writes the table into a kernel's memory. */
  write(mem: Float32Array): void {
    this.values.forEach((v, i) => mem.fill(v, 4 * i, 4 * i + 4));
  }
}

// Cephes expf: exp(x) = 2^k p(r), k = round(x log2 e), r = x − k (C1 + C2), p of degree 7
const LOG2E = 1.44269504088896341;
const EXP_C1 = 0.693359375;
const EXP_C2 = -2.1219444e-4;
const EXP_P = [1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
const ROUND = 12582912; // 1.5 · 2^23
/** The constants {@link emitExp} loads (include them in the kernel's {@link Constants}). */
export const EXP_CONSTANTS = [1, -87, ROUND, LOG2E, EXP_C1, EXP_C2, ...EXP_P];

/**
 * Emits e = exp(max(x, −87)) for the f32x4 in local `x` (x ≤ 0 or moderate; clobbered), into
 * local `e`, using locals fx, r, t as scratch; `k(v)` must push the splatted constant v. Cephes'
 * expf (relative error ≈ 1 ulp): adding 1.5·2^23 rounds x log2 e to an integer k held in the low
 * mantissa bits, so (bits + 127) << 23 is 2^k; p(r) = 1 + r + r² ((P0 r + P1) r⁴ + (P2 r + P3) r²
 * + (P4 r + P5)) in Estrin's form (short dependency chains).
 */
export function emitExp(c: Code, k: (v: number) => Code, x: number, e: number, fx: number, r: number, t: number): void {
  const { f32x4Add: add, f32x4Sub: sub, f32x4Mul: mul, f32x4Pmax: pmax } = SIMD;
  c.get(x);
  k(-87).simd(pmax).set(x);
  c.get(x);
  k(LOG2E).simd(mul);
  k(ROUND).simd(add).tee(fx);
  k(ROUND).simd(sub).set(r);
  c.get(x).get(r);
  k(EXP_C1).simd(mul).simd(sub).get(r);
  k(EXP_C2).simd(mul).simd(sub).set(r);
  c.get(r).get(r).simd(mul).set(t);
  c.get(r);
  k(EXP_P[0]).simd(mul);
  k(EXP_P[1]).simd(add).get(t).simd(mul);
  c.get(r);
  k(EXP_P[2]).simd(mul);
  k(EXP_P[3]).simd(add).simd(add).get(t).simd(mul);
  c.get(r);
  k(EXP_P[4]).simd(mul);
  k(EXP_P[5]).simd(add).simd(add).get(t).simd(mul);
  c.get(r).simd(add);
  k(1).simd(add);
  c.get(fx).i32x4(127).simd(SIMD.i32x4Add).i32(23).simd(SIMD.i32x4Shl).simd(mul).set(e);
}

function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  uleb(out, content.length);
  out.push(...content);
}

function name(out: number[], s: string): void {
  uleb(out, s.length);
  for (const ch of s) out.push(ch.charCodeAt(0));
}

/** A compiled kernel: its `run` function and its linear memory. */
export interface SimdKernel {
  /** Runs the kernel on the calling thread. */
  run: (...args: number[]) => void;
  /**
   * Runs the kernel once per entry of `parts` (its arguments), all at the same time: part 0 on
   * the calling thread, the others on the kernel's worker threads; returns when all are done.
   */
  parallel: (parts: number[][]) => void;
  memory: WebAssembly.Memory;
  /** The number of threads `parallel` uses (1 + workers). */
  threads: number;
}

/** The largest memory of a kernel that runs on several threads (shared memories need a maximum): 1 GiB. */
const SHARED_MAX_PAGES = 16384;
/** Per worker, Int32 slots of the control block: generation, done, status, argument count, arguments. */
const CTRL = { gen: 0, done: 1, status: 2, argc: 3, args: 4, size: 16 };

/** Ends a kernel's worker threads once the kernel is garbage-collected. */
const stopWorkers = new FinalizationRegistry((workers: Worker[]) => workers.forEach((w) => void w.terminate()));

/** The worker: instantiates the module on the shared memory and runs it when told (Atomics). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, slot } = workerData;
const c = new Int32Array(ctrl, slot * ${CTRL.size} * 4, ${CTRL.size});
const run = new WebAssembly.Instance(module, { env: { mem: memory } }).exports.run;
Atomics.store(c, ${CTRL.status}, 1);
Atomics.notify(c, ${CTRL.status});
let gen = 0;
for (;;) {
  Atomics.wait(c, ${CTRL.gen}, gen);
  gen = Atomics.load(c, ${CTRL.gen});
  try {
    const args = Array.from(c.subarray(${CTRL.args}, ${CTRL.args} + c[${CTRL.argc}]));
    run(...args);
  } catch (e) {
    Atomics.store(c, ${CTRL.status}, 2);
  }
  Atomics.store(c, ${CTRL.done}, gen);
  Atomics.notify(c, ${CTRL.done});
}
`;

/**
 * Assembles and instantiates (synchronously) a module exporting `run` (the body `code`, taking
 * `code.params` i32 arguments, returning nothing) over a memory of `pages` 64-KiB pages. With
 * `threads` > 1 the memory is shared and `threads` − 1 worker threads (unref'd, so they never
 * keep the process alive) instantiate the same module on it, for {@link SimdKernel.parallel}.
 */
export function instantiate(code: Code, pages: number, threads = 1): SimdKernel {
  const shared = threads > 1;
  const m: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(m, 1, [1, 0x60, code.params, ...new Array(code.params).fill(I32), 0]);
  if (shared) {
    const imp: number[] = [1];
    name(imp, 'env');
    name(imp, 'mem');
    imp.push(0x02, 0x03); // a memory, shared, with a maximum
    uleb(imp, pages);
    uleb(imp, SHARED_MAX_PAGES);
    section(m, 2, imp);
  }
  section(m, 3, [1, 0]);
  if (!shared) {
    const mem: number[] = [1, 0x00];
    uleb(mem, pages);
    section(m, 5, mem);
  }
  const exp: number[] = [shared ? 1 : 2];
  name(exp, 'run');
  exp.push(0x00, 0);
  if (!shared) {
    name(exp, 'mem');
    exp.push(0x02, 0);
  }
  section(m, 7, exp);
  const body = code.encode();
  const codeSec: number[] = [1];
  uleb(codeSec, body.length);
  codeSec.push(...body);
  section(m, 10, codeSec);
  const module = new WebAssembly.Module(new Uint8Array(m));
  if (!shared) {
    const e = new WebAssembly.Instance(module).exports as unknown as { run: SimdKernel['run']; mem: WebAssembly.Memory };
    return { run: e.run, memory: e.mem, threads: 1, parallel: (parts) => parts.forEach((args) => e.run(...args)) };
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: SHARED_MAX_PAGES, shared: true });
  const run = (new WebAssembly.Instance(module, { env: { mem: memory } }).exports as unknown as { run: SimdKernel['run'] }).run;
  const ctrl = new SharedArrayBuffer((threads - 1) * CTRL.size * 4);
  const workers = Array.from({ length: threads - 1 }, (_, slot) => new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, ctrl, slot } }));
  workers.forEach((w) => w.unref());
  const slots = workers.map((_, slot) => new Int32Array(ctrl, slot * CTRL.size * 4, CTRL.size));
  let gen = 0;
  function parallel(parts: number[][]): void {
    if (parts.length > threads) throw new RangeError(`parallel: ${parts.length} parts for ${threads} threads`);
    gen++;
    for (let w = 1; w < parts.length; w++) {
      const c = slots[w - 1];
      waitFor(c, CTRL.status, 0, 'start'); // the worker has instantiated the module
      c[CTRL.argc] = parts[w].length;
      c.set(parts[w], CTRL.args);
      Atomics.store(c, CTRL.gen, gen);
      Atomics.notify(c, CTRL.gen);
    }
    run(...parts[0]);
    for (let w = 1; w < parts.length; w++) {
      const c = slots[w - 1];
      while (Atomics.load(c, CTRL.done) !== gen) Atomics.wait(c, CTRL.done, Atomics.load(c, CTRL.done), 1000);
      if (Atomics.load(c, CTRL.status) === 2) throw new Error('a WebAssembly kernel failed on a worker thread');
    }
  }
  const kernel = { run, memory, threads, parallel };
  stopWorkers.register(kernel, workers);
  return kernel;
}


/** Blocks until c[i] differs from `from` (at most 10 s, then throws). */
function waitFor(c: Int32Array, i: number, from: number, what: string): void {
  const t0 = Date.now();
  while (Atomics.load(c, i) === from) {
    if (Date.now() - t0 > 10000) throw new Error(`WebAssembly worker thread did not ${what} within 10 s`);
    Atomics.wait(c, i, from, 100);
  }
}

/** Whether this JavaScript engine runs WebAssembly with 128-bit SIMD. */
export const simdSupported: boolean = (() => {
  try {
    const c = new Code(0);
    c.f32x4(1).simd(SIMD.f32x4Abs).lane(0).drop();
    return typeof WebAssembly === 'object' && !!instantiate(c, 1);
  } catch {
    return false;
  }
})();
