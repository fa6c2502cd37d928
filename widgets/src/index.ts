/**
 * transportlab-widgets: the front-end views of the transportlab widget models (kernel side:
 * src/widgets). One small module per view; all draw plotly figures computed by the kernel.
 * Registered with a widget manager (protocol 2, @jupyter-widgets/base 6) under the name
 * `transportlab-widgets`; see widgets/README.md for the bundles.
 */
export { MODULE_NAME, MODULE_VERSION } from './version.js';
export { FigureModel, FigureView } from './figure.js';
export { MarginalsModel, MarginalsView } from './marginals.js';
export { EssModel, EssView } from './ess.js';
export { LossModel, LossView } from './loss.js';
export { TimeSliderModel, TimeSliderView } from './slider.js';
export { withTypedArrays } from './plot.js';
