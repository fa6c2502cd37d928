/**
 * Code cells shared by the browser end-to-end tests (the bundled page, JupyterLab 3 and
 * JupyterLab 4): each test writes them into its notebook with `writeNotebook` (./page.ts), in this
 * order where it uses them, since later cells read the variables of earlier ones (`res`, `random`,
 * `path`).
 */

/**
 * Samples GMM-40 with MALA while `marginals` and `essOverTime` redraw live, then prints
 * `acceptance 0.xxx redraws <marginals> <ess>`. Defines `res` (the run) and `random`.
 */
export const SAMPLE = `import { run, mala, random, targets, marginals, essOverTime } from 'transportlab';
const target = targets.gmm40();
const n = 32;
const x0 = random.uniform(random.key(1), n * 2, -40, 40);
const m = marginals({ dims: [0, 1], bins: 60, bins2d: 40 });
const e = essOverTime({ dims: [0], points: 60, budget: 1 }); // ESS as often as sampling itself allows
const res = await run(random.key(2), mala(target), x0, n, { warmup: 500, steps: 60000, stepSize: 0.5, observers: [m, e] });
console.log('acceptance', res.acceptance.toFixed(3), 'redraws', m.redraws, e.redraws);`;

/**
 * A `timeSlider` on the linear interpolant between N(0, 25 I) and the draws of {@link SAMPLE}
 * (run it after that cell). Its figure's title reads `t = 0.000` until the slider moves.
 * Defines `path`, whose `received` lists the values of t the kernel got from the slider.
 */
export const SLIDER = `import { timeSlider } from 'transportlab';
// The linear interpolant x_t = (1 - t) z + t x1 between N(0, 25 I) and the MALA draws x1.
const x1 = res.trace.samples();
const z = random.normal(random.key(3), x1.length);
const path = await timeSlider({ dims: [0, 1], at: (t) => ({ data: x1.map((v, i) => (1 - t) * 5 * z[i] + t * v), n: x1.length / 2, d: 2 }) });`;

/** Prints the values of t the kernel received from the slider of {@link SLIDER}, as JSON (`[0.7]`). */
export const RECEIVED = 'console.log(JSON.stringify(path.received));';

/** Runs until interrupted (a cell to interrupt). */
export const LONG = 'for (let i = 0; ; i++) await new Promise((r) => setTimeout(r, 5));';
