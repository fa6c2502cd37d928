/**
 * transportlab/kernel: the Jupyter kernel and what cells (and library code such as widgets) use
 * from it: the display API, MIME bundles of tables and plotly figures, and comms.
 *
 * @module
 */
export { display, mimeBundle, plotlyBundle, plotlyHtml, tableBundle, plainText, isPlotlyFigure, isArqueroTable, PLOTLY_MIME } from './display.js';
export type { Display, DisplayHandle, DisplayOptions, DisplayContent, MimeBundle, PlotlyFigure } from './display.js';
export { Comm, CommManager, comms } from './comm.js';
export type { CommMessage, CommTarget, BufferLike } from './comm.js';
export { Kernel } from './kernel.js';
export { Interrupted } from './executor.js';
