/**
 * The transportlab notebook front-end: a file list and a notebook editor running cells on the
 * transportlab kernel, on @jupyterlab/services (kernels, sessions, contents), @jupyterlab/rendermime
 * (+ outputarea) for outputs, plotly for plotly outputs, and @jupyter-widgets/html-manager for live
 * widgets. Routes under the app URL: `tree/<dir>` (files) and `notebooks/<path>` (a notebook).
 */
import { ContentsManager, KernelManager, SessionManager } from '@jupyterlab/services';
import { RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { marked } from 'marked';
import { renderBrowser } from './browser.js';
import { pageConfig, serverSettings } from './config.js';
import { Notebook } from './notebook.js';
import { plotlyFactory, widgetFactory, WIDGET_VIEW_MIME } from './renderers.js';
import '@jupyterlab/rendermime/style/index.css';
import '@jupyterlab/outputarea/style/index.css';
import '@jupyter-widgets/base/css/index.css';
import '@jupyter-widgets/controls/css/widgets-base.css';
import './style.css';

const config = pageConfig();
const settings = serverSettings(config);
const contents = new ContentsManager({ serverSettings: settings });
const kernels = new KernelManager({ serverSettings: settings });
const sessions = new SessionManager({ kernelManager: kernels, serverSettings: settings });
let notebook: Notebook | undefined;

const rendermime: RenderMimeRegistry = new RenderMimeRegistry({
  initialFactories: [...standardRendererFactories, plotlyFactory, widgetFactory(() => notebook?.manager, renderFallback)],
  markdownParser: { render: async (content: string) => marked.parse(content) },
});

/** Renders a widget output's static fallback (its other MIME types). */
async function renderFallback(model: IRenderMime.IMimeModel, host: HTMLElement): Promise<void> {
  const data = { ...model.data };
  delete data[WIDGET_VIEW_MIME];
  const mime = rendermime.preferredMimeType(data, 'any');
  if (!mime) return;
  const r = rendermime.createRenderer(mime);
  host.textContent = '';
  Widget.attach(r, host);
  await r.renderModel(rendermime.createModel({ data, metadata: model.metadata, trusted: true }));
}

function button(id: string, label: string, title: string, action: () => unknown): HTMLButtonElement {
  const b = document.createElement('button');
  b.id = id;
  b.textContent = label;
  b.title = title;
  b.onclick = () => void action();
  return b;
}

async function showNotebook(path: string, header: HTMLElement, main: HTMLElement): Promise<void> {
  document.title = `${path.split('/').pop()} — transportlab`;
  const status = document.createElement('span');
  status.id = 'tl-kernel-status';
  const nb = new Notebook(path, {
    contents, sessions, rendermime, kernelName: config.kernelName,
    onStatus: (s, dirty) => {
      status.textContent = `kernel: ${s}${dirty ? ' · unsaved' : ''}`;
      status.dataset.status = s;
    },
  });
  notebook = nb;
  const name = document.createElement('span');
  name.className = 'tl-name';
  name.textContent = path;
  const bar = document.createElement('div');
  bar.className = 'tl-toolbar';
  bar.append(
    button('tl-save', 'Save', 'Save (Ctrl+S)', () => nb.save()),
    button('tl-add-code', '+ Code', 'Insert a code cell below', () => nb.insert('code')),
    button('tl-add-md', '+ Markdown', 'Insert a markdown cell below', () => nb.insert('markdown')),
    button('tl-delete', 'Delete', 'Delete the cell', () => nb.remove()),
    button('tl-up', '↑', 'Move the cell up', () => nb.move(-1)),
    button('tl-down', '↓', 'Move the cell down', () => nb.move(1)),
    button('tl-run', '▶ Run', 'Run the cell and advance (Shift+Enter)', () => nb.runAndAdvance()),
    button('tl-run-all', 'Run all', 'Run every cell', () => nb.runAll()),
    button('tl-interrupt', '■ Interrupt', 'Interrupt the kernel', () => nb.interrupt()),
    button('tl-restart', '↻ Restart', 'Restart the kernel', async () => {
      await nb.restart();
      document.body.dataset.restarts = String(Number(document.body.dataset.restarts ?? '0') + 1);
    }),
    status,
  );
  header.append(name, bar);
  main.append(nb.node);
  window.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 's') {
      e.preventDefault();
      void nb.save();
    }
  });
  window.addEventListener('beforeunload', () => nb.dispose());
  await nb.open();
  document.body.dataset.ready = 'true';
}

async function start(): Promise<void> {
  const header = document.getElementById('tl-header')!;
  const main = document.getElementById('tl-main')!;
  const home = document.createElement('a');
  home.href = `${config.appUrl}tree/`;
  home.className = 'tl-home';
  home.textContent = 'transportlab';
  header.append(home);
  const route = decodeURIComponent(window.location.pathname.slice(config.appUrl.length));
  if (route.startsWith('notebooks/')) await showNotebook(route.slice('notebooks/'.length), header, main);
  else {
    await renderBrowser(main, contents, route.startsWith('tree/') ? route.slice('tree/'.length).replace(/\/$/, '') : '', config.appUrl);
    document.body.dataset.ready = 'true';
  }
}

start().catch((e) => {
  const main = document.getElementById('tl-main');
  if (main) main.textContent = `transportlab front-end failed to start: ${e?.message ?? e}`;
  console.error(e);
});
