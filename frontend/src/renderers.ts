/**
 * Output renderers beyond @jupyterlab/rendermime's standard ones: plotly figures
 * (`application/vnd.plotly.v1+json`, drawn with plotly.js) and Jupyter widget views
 * (`application/vnd.jupyter.widget-view+json`, drawn by the page's widget manager). Widget views
 * rank first, so a live widget replaces its static fallback; without the model (a closed notebook
 * reopened without saved state) the fallback plot is shown.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import Plotly from 'plotly.js-dist-min';
import type { KernelWidgetManager } from './widgets.js';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
export const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';

class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  constructor() {
    super();
    this.addClass('tl-plotly-output');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const fig = model.data[PLOTLY_MIME] as { data: never[]; layout?: Record<string, unknown>; config?: Record<string, unknown> };
    await Plotly.react(this.node, fig.data, { autosize: true, ...(fig.layout ?? {}) } as never, { responsive: true, displaylogo: false, ...(fig.config ?? {}) });
  }

  protected override onBeforeDetach(): void {
    Plotly.purge(this.node);
  }
}

/** Plotly JSON outputs. */
export const plotlyFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PLOTLY_MIME],
  defaultRank: 5,
  createRenderer: () => new PlotlyRenderer(),
};

class WidgetRenderer extends Widget implements IRenderMime.IRenderer {
  private view?: { luminoWidget: Widget; remove(): void };
  private modelId?: string;

  constructor(private readonly manager: () => KernelWidgetManager | undefined, private readonly fallback: (model: IRenderMime.IMimeModel, host: HTMLElement) => Promise<void>) {
    super();
    this.addClass('tl-widget-output');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const { model_id } = model.data[WIDGET_VIEW_MIME] as { model_id: string };
    const manager = this.manager();
    if (this.view && this.modelId === model_id) return; // an updated display of the same live widget
    this.dropView();
    if (manager?.has_model(model_id)) {
      const wm = await manager.get_model(model_id);
      const view = await manager.create_view(wm, {});
      this.node.textContent = '';
      await manager.display_view(view, this.node);
      this.view = view as never;
      this.modelId = model_id;
      return;
    }
    await this.fallback(model, this.node);
  }

  /** Removes the view (detached first, while its node is still in the document). */
  private dropView(): void {
    const view = this.view;
    this.view = undefined;
    this.modelId = undefined;
    if (view?.luminoWidget.isAttached && view.luminoWidget.node.isConnected) Widget.detach(view.luminoWidget);
    view?.remove();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.dropView();
    super.dispose();
  }
}

/** Widget views, given the current widget manager and a renderer of the static fallback. */
export function widgetFactory(manager: () => KernelWidgetManager | undefined, fallback: (model: IRenderMime.IMimeModel, host: HTMLElement) => Promise<void>): IRenderMime.IRendererFactory {
  return { safe: true, mimeTypes: [WIDGET_VIEW_MIME], defaultRank: 0, createRenderer: () => new WidgetRenderer(manager, fallback) };
}
