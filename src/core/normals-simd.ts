/**
 * Bulk standard normals from four interleaved xoshiro128** lanes (Blackman & Vigna 2018), with
 * the ziggurat method (Marsaglia & Tsang 2000; 128 layers, Doornik's separation of the layer
 * bits from the value bits) run on all four lanes at once in WebAssembly SIMD.
 *
 * Order: element i comes from lane i mod 4, which draws its words in sequence. Lane l is seeded
 * from the key by Threefry-2x32 with counters (3, 2l) and (3, 2l + 1). A word that misses the
 * ziggurat's fast rectangle test is finished by the exact slow path of {@link Stream} (wedges,
 * base-strip tail, redraws), drawing from lane l's own tail stream (Threefry counter (4, l)),
 * in increasing element order. The fast path computes hz · w in float32 (hz rounded to float32
 * first), so the plain-JavaScript path, used where WebAssembly SIMD is missing, gives exactly
 * the same numbers.
 *
 * @module
 */
import { ArgumentError, checkNonNegativeInt } from './errors.js';
import { Key, Stream, threefry2x32, ZIGGURAT } from './random.js';
import { Code, instantiate, SIMD, simdSupported, V128, I32, type SimdKernel } from '../targets/wasm-simd.js';

const LANES = 4;
// Memory layout of the kernel (bytes): lane states, reject count, table, output chunk, reject list.
const STATE = 0;
const COUNT = 64;
const TAB = 128;
const OUT = 2048;
const CHUNK = 65536; // floats per call
const LIST = OUT + 4 * CHUNK;
const PAGES = Math.ceil((LIST + 4 * CHUNK) / 65536);

const OP = {
  i32x4ExtractLane: 0x1b,
  i32x4LtU: 0x3a,
  andnot: 0x4f,
  xor: 0x51,
  load64Lane: 0x57,
  i32x4Abs: 0xa0,
  i32x4AllTrue: 0xa3,
  i32x4ShrU: 0xad,
  i32x4Mul: 0xb5,
  f32x4ConvertI32x4S: 0xfa,
} as const;

/** The four-lane kernel: run(groups) writes 4·groups draws at OUT, the misses' indices at LIST. */
function buildKernel(): SimdKernel {
  const c = new Code(1);
  const [s0, s1, s2, s3, u, a, A, B, t, ok] = Array.from({ length: 10 }, () => c.local(V128));
  const p = c.local(I32);
  const end = c.local(I32);
  const rej = c.local(I32);
  const raw = (...b: number[]): void => void c.bytes.push(...b);
  const op = (o: number): void => void c.simd(o);
  const rotl = (x: number, k: number): void => {
    c.get(x).i32(k).simd(SIMD.i32x4Shl).get(x).i32(32 - k);
    op(OP.i32x4ShrU);
    c.simd(SIMD.or);
  };
  const xorInto = (x: number, y: number): void => {
    c.get(x).get(y);
    op(OP.xor);
    c.set(x);
  };
  const loadLane = (vec: number, from: number, laneFrom: number, laneTo: number): void => {
    c.get(a);
    raw(0xfd, OP.i32x4ExtractLane, laneFrom);
    c.get(from);
    raw(0xfd, OP.load64Lane, 3, 0x80, 0x01, laneTo); // align 8, offset TAB = 128
    c.set(vec);
  };
  [s0, s1, s2, s3].forEach((s, i) => c.i32(0).simd(SIMD.load, STATE + 16 * i).set(s));
  c.get(0).i32(4);
  raw(0x74); // i32.shl
  c.i32(OUT).i32Add().set(end);
  c.i32(OUT).set(p);
  c.i32(LIST).set(rej);
  c.block().loop();
  c.get(p).get(end);
  raw(0x4f); // i32.ge_u
  c.brIf(1);
  // u = rotl(s1 · 5, 7) · 9; then the xoshiro128** state update
  c.get(s1).i32x4(5);
  op(OP.i32x4Mul);
  c.set(a);
  rotl(a, 7);
  c.i32x4(9);
  op(OP.i32x4Mul);
  c.set(u);
  c.get(s1).i32(9).simd(SIMD.i32x4Shl).set(t);
  xorInto(s2, s0);
  xorInto(s3, s1);
  xorInto(s1, s2);
  xorInto(s0, s3);
  xorInto(s2, t);
  rotl(s3, 11);
  c.set(s3);
  // table rows (⌈KN⌉, WN) of the layers iz = u & 127, two per v128
  c.get(u).i32x4(127).simd(SIMD.and).i32(3).simd(SIMD.i32x4Shl).set(a);
  loadLane(A, a, 0, 0);
  loadLane(A, A, 1, 1);
  loadLane(B, a, 2, 0);
  loadLane(B, B, 3, 1);
  // hz = u & ~127; fast path where |hz| < KN[iz] (unsigned, so |−2³¹| fails), value hz · WN[iz]
  c.get(u).i32x4(~127).simd(SIMD.and).set(t);
  c.get(t);
  op(OP.i32x4Abs);
  c.get(A).get(B).shuffle32([0, 2, 4, 6]);
  op(OP.i32x4LtU);
  c.set(ok);
  c.get(p).get(t);
  op(OP.f32x4ConvertI32x4S);
  c.get(A).get(B).shuffle32([1, 3, 5, 7]).simd(SIMD.f32x4Mul).get(u).get(ok).simd(SIMD.bitselect).simd(SIMD.store, 0);
  // misses keep their word; record their indices
  c.get(ok);
  op(OP.i32x4AllTrue);
  c.i32Eqz();
  raw(0x04, 0x40);
  for (let l = 0; l < LANES; l++) {
    c.get(ok);
    raw(0xfd, OP.i32x4ExtractLane, l);
    c.i32Eqz();
    raw(0x04, 0x40);
    c.get(rej).get(p).i32(OUT);
    raw(0x6b); // i32.sub
    c.i32(2);
    raw(0x76); // i32.shr_u
    c.i32(l).i32Add();
    raw(0x36, 2, 0); // i32.store
    c.get(rej).i32(4).i32Add().set(rej);
    c.end();
  }
  c.end();
  c.get(p).i32(16).i32Add().set(p);
  raw(0x0c, 0); // br 0
  c.end().end();
  [s0, s1, s2, s3].forEach((s, i) => c.i32(0).get(s).simd(SIMD.store, STATE + 16 * i));
  c.i32(COUNT).get(rej).i32(LIST);
  raw(0x6b);
  c.i32(2);
  raw(0x76, 0x36, 2, 0);
  const k = instantiate(c, PAGES);
  const tab = new DataView(k.memory.buffer);
  for (let i = 0; i < 128; i++) {
    tab.setUint32(TAB + 8 * i, ZIGGURAT.kn[i], true);
    tab.setFloat32(TAB + 8 * i + 4, ZIGGURAT.wn[i], true);
  }
  return k;
}

let kernel: SimdKernel | undefined;

/** The lanes' xoshiro128** states (s0, s1, s2, s3 of each, lane-interleaved: 4 words per state word). */
function seedLanes(k: Key): Int32Array {
  const s = new Int32Array(4 * LANES);
  for (let l = 0; l < LANES; l++) {
    const [a, b] = threefry2x32(k.hi, k.lo, 3, 2 * l);
    const [c, d] = threefry2x32(k.hi, k.lo, 3, 2 * l + 1);
    s[l] = a | 0;
    s[LANES + l] = b | 0;
    s[2 * LANES + l] = c | 0;
    s[3 * LANES + l] = d | 1; // never all zero
  }
  return s;
}

/** The lanes' tail streams, created when first needed. */
function tails(k: Key): (lane: number) => Stream {
  const made: Stream[] = [];
  return (l) => (made[l] ??= new Stream(new Key(...threefry2x32(k.hi, k.lo, 4, l))));
}

/**
 * `n` standard normals N(0, 1) as float32 from four interleaved lanes (element i from lane
 * i mod 4; see the module comment), written into `out` when given. WebAssembly SIMD does the
 * lanes' fast path where available (`simd`, default: when supported); the plain-JavaScript
 * path gives the same numbers.
 */
export function normalLanes(k: Key, n: number, out?: Float32Array, simd = simdSupported): Float32Array {
  checkNonNegativeInt('n', n);
  if (out && out.length < n) throw new ArgumentError('out', `a Float32Array of at least n = ${n} entries`, out.length);
  const o = out ?? new Float32Array(n);
  const state = seedLanes(k);
  const tail = tails(k);
  if (!simd) {
    fillLanesJs(state, tail, o, n);
    return o;
  }
  kernel ??= buildKernel();
  const buf = kernel.memory.buffer;
  const i32 = new Int32Array(buf);
  const f32 = new Float32Array(buf);
  i32.set(state, STATE / 4);
  for (let done = 0; done < n; ) {
    const m = Math.min(CHUNK, n - done);
    kernel.run(Math.ceil(m / LANES));
    const misses = i32[COUNT / 4];
    for (let j = 0; j < misses; j++) {
      const idx = i32[LIST / 4 + j];
      const u = i32[OUT / 4 + idx];
      f32[OUT / 4 + idx] = tail(idx & 3).normalTail(u & ~127, u & 127);
    }
    o.set(f32.subarray(OUT / 4, OUT / 4 + m), done);
    done += m;
  }
  return o;
}

/** The plain-JavaScript lanes: the same words, fast path and tails as the kernel. */
function fillLanesJs(s: Int32Array, tail: (lane: number) => Stream, o: Float32Array, n: number): void {
  const { kn, wn } = ZIGGURAT;
  for (let i = 0; i < n; i++) {
    const l = i & 3;
    const s0 = s[l];
    const s1 = s[LANES + l];
    let s2 = s[2 * LANES + l];
    let s3 = s[3 * LANES + l];
    const a = Math.imul(s1, 5);
    const u = Math.imul((a << 7) | (a >>> 25), 9);
    s2 ^= s0;
    s3 ^= s1;
    s[LANES + l] = s1 ^ s2;
    s[l] = s0 ^ s3;
    s[2 * LANES + l] = s2 ^ (s1 << 9);
    s[3 * LANES + l] = (s3 << 11) | (s3 >>> 21);
    const iz = u & 127;
    const hz = u & ~127;
    o[i] = Math.abs(hz) < kn[iz] ? Math.fround(hz) * wn[iz] : tail(l).normalTail(hz, iz);
  }
}
