/**
 * The JupyterLab (3.6 and 4) plugin of transportlab-widgets: registers the widget module (name and version
 * from widgets/src/version.ts) with `@jupyter-widgets/base`'s `IJupyterWidgetRegistry`, as the
 * ipywidgets extensions do. The views (and plotly) load lazily, as a separate chunk, the first
 * time a notebook asks for a transportlab widget.
 */
import { IJupyterWidgetRegistry, type ExportMap } from '@jupyter-widgets/base';
import { MODULE_NAME, MODULE_VERSION } from '../../src/version.js';

/** The shape of a JupyterLab front-end plugin (`JupyterFrontEndPlugin<void>`). */
interface LabPlugin {
  id: string;
  requires: unknown[];
  autoStart: boolean;
  activate(app: unknown, registry: IJupyterWidgetRegistry): void;
}

/** Registers `transportlab-widgets` with the widget manager of every notebook. */
const plugin: LabPlugin = {
  id: `${MODULE_NAME}:plugin`,
  requires: [IJupyterWidgetRegistry],
  autoStart: true,
  activate(_app, registry) {
    registry.registerWidget({
      name: MODULE_NAME,
      version: MODULE_VERSION,
      exports: async () => (await import('./views.js')) as unknown as ExportMap,
    });
  },
};

export default plugin;
