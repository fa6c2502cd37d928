/**
 * Starts JupyterLab 3.6 with its core plugins (the packages of package.json `jupyterlab.extensions`)
 * and the plugins of the prebuilt federated labextensions whose containers src/bootstrap.js loaded.
 * After JupyterLab's examples/app and dev_mode/index.js (v3.6.8), rewritten.
 */
import { JupyterLab } from '@jupyterlab/application';
import { federatedPlugins } from '../../federation.js';

/**
 * The core plugin modules, as in package.json `jupyterlab.extensions` (whose schemas and themes
 * build.mjs copies). apputils' `announcements` plugin is left out: it polls `/lab/api/news`, a
 * handler of the `jupyterlab` Python package, which jupyterlab_server alone does not have.
 */
const CORE = [
  import('@jupyterlab/application-extension'),
  import('@jupyterlab/apputils-extension').then((m) => ({
    __esModule: true,
    default: m.default.filter((p) => p.id !== '@jupyterlab/apputils-extension:announcements'),
  })),
  import('@jupyterlab/codemirror-extension'),
  import('@jupyterlab/completer-extension'),
  import('@jupyterlab/console-extension'),
  import('@jupyterlab/docmanager-extension'),
  import('@jupyterlab/filebrowser-extension'),
  import('@jupyterlab/fileeditor-extension'),
  import('@jupyterlab/launcher-extension'),
  import('@jupyterlab/mainmenu-extension'),
  import('@jupyterlab/notebook-extension'),
  import('@jupyterlab/rendermime-extension'),
  import('@jupyterlab/shortcuts-extension'),
  import('@jupyterlab/statusbar-extension'),
  import('@jupyterlab/theme-light-extension'),
  import('@jupyterlab/translation-extension'),
  import('@jupyterlab/ui-components-extension'),
  import('@jupyter-widgets/jupyterlab-manager'),
];

/**
 * Creates and starts the application; `extensions` are the page config's `federated_extensions`
 * entries whose containers are loaded. Resolves once the layout is restored.
 */
export async function main(extensions) {
  await import('../build/style.js');
  const [core, federated] = await Promise.all([Promise.all(CORE), federatedPlugins(extensions)]);
  const lab = new JupyterLab({ mimeExtensions: federated.mimePlugins });
  lab.registerPluginModules(core);
  lab.registerPlugins(federated.plugins);
  await lab.start();
  await lab.restored;
}
