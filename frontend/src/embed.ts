/**
 * Widgets in exported HTML (`transportlab export`): inlined into the page nbconvert writes, this
 * script renders every widget view from the widget state saved in the notebook, offline, with
 * html-manager and the transportlab views (no CDN, no kernel).
 */
import { HTMLManager } from '@jupyter-widgets/html-manager';
import { renderWidgets } from '@jupyter-widgets/html-manager/lib/libembed';
import * as views from '../../widgets/src/index.js';
import '@jupyter-widgets/base/css/index.css';
import '@jupyter-widgets/controls/css/widgets-base.css';

async function loader(moduleName: string): Promise<unknown> {
  if (moduleName === views.MODULE_NAME) return views;
  throw new Error(`widget module ${moduleName} is not embedded in this page`);
}

async function render(): Promise<void> {
  await renderWidgets(() => new HTMLManager({ loader }));
  document.body.dataset.widgetsRendered = 'true';
}

// The saved state comes after this script in nbconvert's page: render once the document is parsed.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void render());
else void render();
