/**
 * Entry point of the JupyterLab 3.6 app (build/bundle.js): the module federation host start-up.
 *
 * Before any JupyterLab code runs, every prebuilt labextension that jupyterlab_server lists in the
 * page config's `federated_extensions` (found on JUPYTER_PATH, e.g. transportlab-widgets) is
 * loaded: its `remoteEntry` script defines the container `window._JUPYTERLAB[<name>]`, which is
 * initialised with this app's share scope (`__webpack_init_sharing__('default')`), so that the
 * extension and the app agree on one copy of each shared singleton (@jupyter-widgets/base,
 * @lumino/*, @jupyterlab/*, react). Only then is `./index.js` imported, which resolves the app's own
 * shared modules from that scope and starts JupyterLab.
 * After JupyterLab's dev_mode/bootstrap.js (v3.6.8), rewritten; no JupyterLab import here, since
 * shared modules can only be consumed after the share scope is initialised.
 */

import { loadContainers } from '../../federation.js';

/** The page config that templates/index.html embeds (`<script id="jupyter-config-data">`). */
const CONFIG = JSON.parse(document.getElementById('jupyter-config-data')?.textContent || '{}');

void (async () => {
  const loaded = await loadContainers(CONFIG.federated_extensions ?? [], CONFIG.fullLabextensionsUrl);
  const { main } = await import('./index.js');
  await main(loaded);
})();
