/**
 * transportlab widgets: live plotly plots of loops in Jupyter (marginals, ESS over time, loss
 * curves, a time slider over a path of distributions), synced with the front-end views of the
 * `transportlab-widgets` module over the Jupyter widget protocol 2.1.0. Each widget is a loop
 * observer, so one line makes a run plot live:
 *
 * ```ts
 * await run(key, mala(target), x0, 64, { warmup: 200, steps: 1000, stepSize: 0.5, observers: [marginals({ dims: [0, 1] }), essOverTime()] });
 * ```
 *
 * @module
 */
export { WidgetModel, type WidgetModelOptions, type ChangeHandler, type CustomHandler } from './model.js';
export { separateBuffers, putBuffers, WIDGET_TARGET, WIDGET_MODULE, WIDGET_MODULE_VERSION, WIDGET_VIEW_MIME, PROTOCOL_VERSION, type BufferPath, type SeparatedState } from './protocol.js';
export { Coalescer, DEFAULT_INTERVAL_MS } from './coalesce.js';
export { histogram, histogram2d, kde, binCenters, columnRange, type Samples, type Range } from './density.js';
export { marginalsFigure, linesFigure, type MarginalsFigureOptions, type Line } from './figures.js';
export { LiveFigure, type LiveOptions } from './live.js';
export { marginals, Marginals, type MarginalsOptions } from './marginals.js';
export { essOverTime, EssOverTime, type EssOptions } from './ess.js';
export { lossCurve, LossCurve, type LossOptions } from './loss.js';
export { timeSlider, TimeSlider, type TimeSliderOptions } from './slider.js';
