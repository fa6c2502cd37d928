/**
 * The base view of every transportlab widget: a plotly figure from the model's `figure` state,
 * redrawn whenever the kernel sends a new one. Marginals and ESS views are exactly this. The
 * first view to render puts the views' CSS into its document (see style.ts).
 */
import { DOMWidgetModel, DOMWidgetView } from '@jupyter-widgets/base';
import { draw, purge, type Figure } from './plot.js';
import { injectStyle } from './style.js';
import { MODULE_NAME, MODULE_VERSION } from './version.js';

/**
 * Serialises a figure for saving (widget state) with its binary arrays kept binary: each becomes
 * a Uint8Array copy of exactly its bytes (the manager stores `.buffer` of views), everything else
 * is copied as is. Without it the base model's JSON round trip would turn DataViews into `{}`.
 */
export function serializeFigure(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  if (Array.isArray(v)) return v.map(serializeFigure);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = serializeFigure(x);
  return out;
}

/** The model of a figure widget (state synced from the kernel). */
export class FigureModel extends DOMWidgetModel {
  static override serializers = { ...DOMWidgetModel.serializers, figure: { serialize: serializeFigure } };

  override defaults() {
    return {
      ...super.defaults(),
      _model_module: MODULE_NAME, _model_module_version: MODULE_VERSION, _view_module: MODULE_NAME, _view_module_version: MODULE_VERSION,
      _model_name: 'FigureModel', _view_name: 'FigureView', figure: { data: [], layout: {} },
    };
  }
}

/** Draws the model's figure and redraws it on change. */
export class FigureView extends DOMWidgetView {
  /** The plot element (inside `el`, after any controls subclasses add). */
  protected plot!: HTMLDivElement;

  override render(): void {
    injectStyle(this.el.ownerDocument);
    this.el.classList.add('tl-widget');
    this.el.dataset.view = String(this.model.get('_view_name'));
    this.renderControls();
    this.plot = document.createElement('div');
    this.plot.className = 'tl-plot';
    this.el.appendChild(this.plot);
    this.listenTo(this.model, 'change:figure', () => void this.redraw());
    void this.redraw();
  }

  /** Subclasses add controls above the plot here. */
  protected renderControls(): void {}

  /** Redraws from the current `figure` state. */
  protected redraw(): Promise<void> {
    return draw(this.plot, this.model.get('figure') as Figure);
  }

  override remove(): void {
    purge(this.plot);
    super.remove();
  }
}
