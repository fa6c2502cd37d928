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

/** The page config that templates/index.html embeds (`<script id="jupyter-config-data">`). */
const CONFIG = JSON.parse(document.getElementById('jupyter-config-data')?.textContent || '{}');

/** Adds a `<script src=url>` to the page; resolves once it ran. */
function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot load the labextension script ${url}`));
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

/** Loads the container of one federated extension and shares this app's modules with it. */
async function loadContainer({ name, load }) {
  await loadScript(`${CONFIG.fullLabextensionsUrl}/${name}/${load}`);
  const container = window._JUPYTERLAB?.[name];
  if (!container) throw new Error(`labextension ${name}: ${load} did not define the container window._JUPYTERLAB[${JSON.stringify(name)}]`);
  await __webpack_init_sharing__('default');
  await container.init(__webpack_share_scopes__.default);
}

void (async () => {
  const extensions = CONFIG.federated_extensions ?? [];
  const loaded = await Promise.allSettled(extensions.map(loadContainer));
  const failed = new Set();
  loaded.forEach((r, i) => {
    if (r.status === 'rejected') {
      failed.add(extensions[i].name);
      console.error(r.reason);
    }
  });
  const { main } = await import('./index.js');
  await main(extensions.filter((e) => !failed.has(e.name)));
})();
