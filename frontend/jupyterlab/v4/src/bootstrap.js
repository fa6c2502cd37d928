/**
 * Entry point of the JupyterLab 4 host (`transportlab lab --ui jupyterlab4`).
 *
 * The host shares its core packages (@jupyterlab/*, @lumino/*, @jupyter-widgets/*, React, ...)
 * through webpack's module federation share scope `default`. Before anything imports one of
 * them, every prebuilt labextension listed in the page config's `federated_extensions` (written by
 * jupyterlab_server from the labextensions on the Jupyter path, e.g. transportlab-widgets) is
 * loaded and initialised with that share scope, so each singleton is resolved once for the host
 * and all extensions. Then the app itself (./index.js) is imported and started.
 *
 * As upstream JupyterLab 4's dev_mode/bootstrap.js; this file imports no shared package (webpack
 * cannot consume shared modules eagerly in the entry chunk).
 */
import { loadContainers } from '../../federation.js';

/** The page config embedded by the server (`<script id="jupyter-config-data">`). */
const config = JSON.parse(document.getElementById('jupyter-config-data')?.textContent || '{}');

// Chunks, fonts and images load from the server's static URL for this app.
// eslint-disable-next-line no-undef
__webpack_public_path__ = `${config.fullStaticUrl}/`;

void (async () => {
  const federated = await loadContainers(config.federated_extensions ?? [], config.fullLabextensionsUrl);
  const { main } = await import('./index.js');
  await main(federated);
})();
