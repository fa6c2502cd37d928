/**
 * Special functions and variates the targets need for their normalising constants and exact
 * samplers: log Γ and Gamma(α, 1) draws.
 *
 * @module
 */
import type { Stream } from '../core/random.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * log Γ(z) for z > 0 by the Lanczos approximation (g = 7, 9 terms; relative error ~1e-15),
 * with the reflection formula below ½ (Lanczos, SIAM J. Numer. Anal. B 1, 1964).
 */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const x = z - 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * One Gamma(α, 1) draw (α > 0) by Marsaglia & Tsang's squeeze method ("A simple method for
 * generating gamma variables", ACM TOMS 26, 2000); for α < 1, G(α) = G(α + 1) · U^{1/α}.
 */
export function gammaVariate(s: Stream, alpha: number): number {
  if (alpha < 1) return gammaVariate(s, alpha + 1) * s.uniform() ** (1 / alpha);
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = s.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = s.uniform();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
