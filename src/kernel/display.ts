/**
 * Rich display: turning values into Jupyter MIME bundles, and the `display` API of cells.
 *
 * - Arquero tables (anything with `toHTML`, `numRows`, `columnNames`) → `text/html` table and a
 *   `text/plain` summary with the first rows.
 * - Plotly figures (`{ data: [...], layout?, config? }`) → `application/vnd.plotly.v1+json`
 *   (JupyterLab/VS Code render it natively), a self-contained `text/html` fallback (plotly.js from
 *   `plotly.js-dist-min` is inlined in the first figure of a kernel session; later figures use
 *   the `window.Plotly` it defines) for nbconvert HTML and classic notebooks, and `text/plain`.
 *   The output that carried plotly.js keeps it: every update_display_data of its display id
 *   (widgets refresh their static fallback this way at the end of a run) gets the library again.
 * - Objects with a `toMimeBundle()` method → that bundle (plus `text/plain`).
 * - Anything else → `text/plain` from `util.inspect`.
 *
 * Outside a kernel (a plain Node script), `display` prints the `text/plain` form to stdout.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { ArgumentError } from '../core/errors.js';
import { currentContext, getPublisher } from './context.js';
import { toBuffer } from './wire.js';

/** MIME type → representation. Binary formats are base64 strings. */
export type MimeBundle = Record<string, unknown>;

/** The `data` and `metadata` of a display_data / execute_result message. */
export interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

/** A plotly figure: traces, layout and config as plotly.js takes them. */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** The MIME type of plotly figures. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

interface TableLike {
  toHTML(options?: { limit?: number }): string;
  toMarkdown(options?: { limit?: number }): string;
  numRows(): number;
  columnNames(): string[];
}

/** Whether `v` looks like an arquero table. */
export function isArqueroTable(v: unknown): v is TableLike {
  const t = v as TableLike | null;
  return typeof t === 'object' && t !== null && typeof t.toHTML === 'function' && typeof t.numRows === 'function' && typeof t.columnNames === 'function';
}

/** Whether `v` looks like a plotly figure: an object whose `data` is an array of trace objects. */
export function isPlotlyFigure(v: unknown): v is PlotlyFigure {
  const f = v as PlotlyFigure | null;
  return (
    typeof f === 'object' && f !== null && Array.isArray(f.data) && f.data.every((t) => typeof t === 'object' && t !== null && !Array.isArray(t)) &&
    Object.keys(f).every((k) => k === 'data' || k === 'layout' || k === 'config' || k === 'frames')
  );
}

/** JSON with typed arrays written as plain arrays (plotly traces often hold Float32Arrays). */
function toPlainJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) && !(x instanceof DataView) ? Array.from(x as unknown as ArrayLike<number>) : x))) as T;
}

let plotlySource: string | undefined;
/** Whether a figure of this session inlined plotly.js (module state: one kernel process, one session). */
let plotlyInlined = false;
/** The display id of the output carrying plotly.js, when it was displayed with one (execute results have none and are never replaced). */
let plotlyCarrier: string | undefined;

/** Marks the script element holding plotly.js, so that an output carrying it can be recognised. */
const PLOTLY_LIB_MARK = 'data-transportlab-plotly-lib';

function plotlyScript(): string {
  plotlySource ??= readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min/plotly.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  return `<script type="text/javascript" ${PLOTLY_LIB_MARK}>${plotlySource}</script>`;
}

/**
 * Keeps plotly.js in the notebook, given the content of an output about to be sent:
 * - a `display_data` whose `text/html` inlines the library makes `displayId` the carrier;
 * - an `update_display_data` of the carrier gets the library prepended to its `text/html` (the
 *   update replaces the output that defines `window.Plotly` for every other figure); when the
 *   update has no `text/html` at all, the library is gone from the notebook and the next figure
 *   inlines it again.
 * Returns the content to send.
 */
function keepPlotlyLib(msgType: 'display_data' | 'update_display_data', content: DisplayContent, displayId: string): DisplayContent {
  const html = content.data['text/html'];
  const carries = typeof html === 'string' && html.includes(PLOTLY_LIB_MARK);
  if (msgType === 'display_data') {
    if (carries) plotlyCarrier = displayId;
    return content;
  }
  if (displayId !== plotlyCarrier || carries) return content;
  if (typeof html !== 'string') {
    plotlyInlined = false;
    plotlyCarrier = undefined;
    return content;
  }
  return { ...content, data: { ...content.data, 'text/html': plotlyScript() + html } };
}

/**
 * The `text/html` fallback of a figure: a div and a script drawing it with `window.Plotly`.
 * The first call in a process (a kernel session) inlines plotly.js itself (≈4.8 MB); later calls
 * reference it. The display API keeps the library in updates of the output that carried it.
 */
export function plotlyHtml(fig: PlotlyFigure): string {
  const id = `tl-plotly-${randomUUID()}`;
  const lib = plotlyInlined ? '' : plotlyScript();
  plotlyInlined = true;
  const args = JSON.stringify([fig.data, fig.layout ?? {}, { responsive: true, ...(fig.config ?? {}) }]).replace(/</g, '\\u003c');
  const height = typeof fig.layout?.height === 'number' ? fig.layout.height : 450;
  return (
    `${lib}<div id="${id}" class="plotly-graph-div" style="height:${height}px; width:100%;"></div>` +
    `<script type="text/javascript">(function(){var a=${args};function draw(){window.Plotly.newPlot("${id}",a[0],a[1],a[2]);}` +
    `if(window.Plotly){draw();}else{var t=setInterval(function(){if(window.Plotly){clearInterval(t);draw();}},50);setTimeout(function(){clearInterval(t);},30000);}})();</script>`
  );
}

/** A one-line description of a figure for plain-text viewers. */
function plotlyText(fig: PlotlyFigure): string {
  const types = fig.data.map((t) => String(t.type ?? 'scatter'));
  const title = fig.layout?.title;
  const titleText = typeof title === 'string' ? title : typeof (title as { text?: unknown })?.text === 'string' ? (title as { text: string }).text : '';
  return `Plotly figure${titleText ? ` "${titleText}"` : ''}: ${fig.data.length} trace(s) (${types.join(', ')})`;
}

/** The MIME bundle of a plotly figure: native plotly JSON, self-contained HTML and plain text. */
export function plotlyBundle(fig: PlotlyFigure): MimeBundle {
  if (!isPlotlyFigure(fig)) throw new ArgumentError('fig', 'a plotly figure {data: trace[], layout?, config?}', fig);
  const plain = toPlainJson(fig);
  return {
    [PLOTLY_MIME]: { data: plain.data, layout: plain.layout ?? {}, ...(plain.config ? { config: plain.config } : {}) },
    'text/html': plotlyHtml(plain),
    'text/plain': plotlyText(plain),
  };
}

/** The MIME bundle of an arquero table: an HTML table (first 50 rows) and a plain-text summary. */
export function tableBundle(table: TableLike): MimeBundle {
  const n = table.numRows();
  const cols = table.columnNames();
  const limit = 50;
  const more = n > limit ? `<p>${limit} of ${n} rows</p>` : '';
  return {
    'text/html': table.toHTML({ limit }) + more,
    'text/plain': `Table: ${n} rows × ${cols.length} columns\n${table.toMarkdown({ limit: 10 })}`,
  };
}

/** The plain-text form of any value (as the Node REPL prints it). */
export function plainText(v: unknown): string {
  return inspect(v, { depth: 4, maxArrayLength: 100, breakLength: 100 });
}

/** The display content of any value: rich MIME types where it has them, always `text/plain`. */
export function mimeBundle(value: unknown): DisplayContent {
  if (isArqueroTable(value)) return { data: tableBundle(value), metadata: {} };
  if (isPlotlyFigure(value)) return { data: plotlyBundle(value), metadata: {} };
  const custom = (value as { toMimeBundle?: () => MimeBundle } | null)?.toMimeBundle;
  if (typeof custom === 'function') {
    const data = custom.call(value);
    return { data: { 'text/plain': plainText(value), ...data }, metadata: {} };
  }
  return { data: { 'text/plain': plainText(value) }, metadata: {} };
}

/** Options of a display call. */
export interface DisplayOptions {
  /** Display id (to update this output later); a fresh one is made when absent. */
  displayId?: string;
  /** Output metadata (e.g. `{ 'image/png': { width: 200 } }`). */
  metadata?: Record<string, unknown>;
}

/** A displayed output that can be replaced in place. */
export interface DisplayHandle {
  readonly displayId: string;
  /** Replaces the output with the display of `value` (update_display_data). */
  update(value: unknown): void;
}

/** The display API: `display(value)` plus helpers for explicit MIME types. */
export interface Display {
  (value: unknown, options?: DisplayOptions): DisplayHandle;
  /** Displays an explicit MIME bundle. */
  bundle(data: MimeBundle, options?: DisplayOptions): DisplayHandle;
  html(html: string, options?: DisplayOptions): DisplayHandle;
  markdown(markdown: string, options?: DisplayOptions): DisplayHandle;
  json(value: unknown, options?: DisplayOptions): DisplayHandle;
  svg(svg: string, options?: DisplayOptions): DisplayHandle;
  png(png: ArrayBuffer | ArrayBufferView | Buffer, options?: DisplayOptions): DisplayHandle;
  text(text: string, options?: DisplayOptions): DisplayHandle;
  plotly(fig: PlotlyFigure, options?: DisplayOptions): DisplayHandle;
  /** Replaces the output with display id `displayId` by the display of `value`. */
  update(displayId: string, value: unknown): void;
  /** Clears the output of the current cell (`wait`: at the next output). */
  clear(wait?: boolean): void;
  /** Shows `value` in the front-end's pager (a `page` payload of the cell's reply), not in the output. */
  page(value: unknown): void;
}

function emit(msgType: 'display_data' | 'update_display_data', content: DisplayContent, displayId: string): void {
  const publish = getPublisher();
  if (!publish) {
    process.stdout.write(`${String(content.data['text/plain'] ?? '')}\n`);
    return;
  }
  const { data, metadata } = keepPlotlyLib(msgType, content, displayId);
  publish(msgType, { data, metadata, transient: { display_id: displayId } });
}

class Handle implements DisplayHandle {
  constructor(readonly displayId: string) {}

  update(value: unknown): void {
    emit('update_display_data', mimeBundle(value), this.displayId);
  }
}

/** Whether `v` is what a display call returned (the kernel does not echo it as a cell result). */
export function isDisplayHandle(v: unknown): v is DisplayHandle {
  return v instanceof Handle;
}

function show(content: DisplayContent, options: DisplayOptions = {}): DisplayHandle {
  const displayId = options.displayId ?? randomUUID();
  emit('display_data', { data: content.data, metadata: { ...content.metadata, ...(options.metadata ?? {}) } }, displayId);
  return new Handle(displayId);
}

function withText(data: MimeBundle, text: string): DisplayContent {
  return { data: { 'text/plain': text, ...data }, metadata: {} };
}

function checkString(name: string, s: unknown): asserts s is string {
  if (typeof s !== 'string') throw new ArgumentError(name, 'a string', s);
}

/** Displays values in the current cell's output (see the module documentation). */
export const display: Display = Object.assign((value: unknown, options?: DisplayOptions) => show(mimeBundle(value), options), {
  bundle: (data: MimeBundle, options?: DisplayOptions) => {
    if (typeof data !== 'object' || data === null) throw new ArgumentError('data', 'a MIME bundle object', data);
    return show({ data, metadata: {} }, options);
  },
  html: (html: string, options?: DisplayOptions) => (checkString('html', html), show(withText({ 'text/html': html }, '<HTML>'), options)),
  markdown: (md: string, options?: DisplayOptions) => (checkString('markdown', md), show(withText({ 'text/markdown': md }, md), options)),
  json: (value: unknown, options?: DisplayOptions) => show(withText({ 'application/json': toPlainJson(value) }, plainText(value)), options),
  svg: (svg: string, options?: DisplayOptions) => (checkString('svg', svg), show(withText({ 'image/svg+xml': svg }, '<SVG image>'), options)),
  png: (png: ArrayBuffer | ArrayBufferView | Buffer, options?: DisplayOptions) => {
    if (!(png instanceof ArrayBuffer || ArrayBuffer.isView(png))) throw new ArgumentError('png', 'PNG bytes (Buffer, Uint8Array or ArrayBuffer)', png);
    return show(withText({ 'image/png': toBuffer(png).toString('base64') }, '<PNG image>'), options);
  },
  text: (text: string, options?: DisplayOptions) => (checkString('text', text), show({ data: { 'text/plain': text }, metadata: {} }, options)),
  plotly: (fig: PlotlyFigure, options?: DisplayOptions) => show({ data: plotlyBundle(fig), metadata: {} }, options),
  update: (displayId: string, value: unknown) => (checkString('displayId', displayId), emit('update_display_data', mimeBundle(value), displayId)),
  clear: (wait = false) => getPublisher()?.('clear_output', { wait }),
  page: (value: unknown) => {
    const { data } = mimeBundle(value);
    const ctx = getPublisher() ? currentContext() : undefined;
    if (ctx) ctx.payloads.push({ source: 'page', data, start: 0 });
    else process.stdout.write(`${String(data['text/plain'])}\n`);
  },
});
