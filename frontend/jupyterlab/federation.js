/**
 * Module federation with prebuilt JupyterLab extensions (labextensions).
 *
 * A labextension built by `@jupyterlab/builder` is a webpack container: its `remoteEntry.*.js`
 * (the `load` entry of the page config's `federated_extensions`) assigns
 * `window._JUPYTERLAB[<package name>]`, with `init(shareScope)` and `get(module)`. The host
 * initialises its own share scope, hands it to every container (which may add modules to it and
 * will take the host's singletons from it), and later gets the modules named by `extension`,
 * `mimeExtension` and `style`. After webpack's "dynamic remote containers" recipe and upstream
 * JupyterLab's dev_mode/bootstrap.js + index.js (3.6 and 4 load extensions the same way).
 *
 * Shared by the JupyterLab 3 and 4 apps (v3/, v4/). It imports no shared package, so their
 * entry chunks can use it before sharing starts.
 */

/**
 * One entry of the page config's `federated_extensions` (jupyterlab_server's `get_page_config`).
 * @typedef {{ name: string, load: string, extension?: string, mimeExtension?: string, style?: string }} FederatedExtension
 */

/** Loads a script; resolves when it ran. */
function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    script.onload = resolve;
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

/**
 * Loads the container of each extension (`<labextensionsUrl>/<name>/<load>`) and initialises it
 * with the host's share scope. Resolves with the extensions whose container is ready; a failure is
 * logged and leaves that extension out, as JupyterLab does.
 *
 * @param {FederatedExtension[]} extensions
 * @param {string} labextensionsUrl the page config's `fullLabextensionsUrl`
 * @returns {Promise<FederatedExtension[]>}
 */
export async function loadContainers(extensions, labextensionsUrl) {
  // eslint-disable-next-line no-undef
  await __webpack_init_sharing__('default');
  const settled = await Promise.allSettled(
    extensions.map(async (data) => {
      await loadScript(`${labextensionsUrl}/${data.name}/${data.load}`);
      const container = window._JUPYTERLAB?.[data.name];
      if (!container) throw new Error(`${data.name}: ${data.load} defined no container window._JUPYTERLAB[${JSON.stringify(data.name)}]`);
      // eslint-disable-next-line no-undef
      await container.init(__webpack_share_scopes__.default);
      return data;
    })
  );
  return settled.flatMap((s) => {
    if (s.status === 'fulfilled') return [s.value];
    console.error(s.reason);
    return [];
  });
}

/**
 * A module of a loaded container (e.g. `./extension`), tagged with its package name as
 * `__scope__` (what JupyterLab's plugin list shows as the plugin's extension).
 *
 * @param {string} name the extension's package name
 * @param {string} module the exposed module
 */
export async function getModule(name, module) {
  const factory = await window._JUPYTERLAB[name].get(module);
  const instance = factory();
  instance.__scope__ = name;
  return instance;
}

/** The plugins of an extension module (its namespace with a default export, or that export: one plugin or a list). */
export function pluginsOf(exports) {
  const plugins = exports && Object.prototype.hasOwnProperty.call(exports, '__esModule') ? exports.default : exports;
  return Array.isArray(plugins) ? plugins : [plugins];
}

/**
 * The plugins of the loaded federated extensions: each one's `extension` and `mimeExtension`
 * modules' plugins, and its `style` module (imported for its CSS). A module that fails is logged
 * and left out, as JupyterLab does.
 *
 * @param {FederatedExtension[]} federated the extensions whose containers {@link loadContainers} loaded
 */
export async function federatedPlugins(federated) {
  const get = (kind) => Promise.allSettled(federated.filter((d) => d[kind]).map((d) => getModule(d.name, d[kind])));
  const [extensions, mimeExtensions, styles] = await Promise.all([get('extension'), get('mimeExtension'), get('style')]);
  const fulfilled = (settled) =>
    settled.flatMap((s) => {
      if (s.status === 'fulfilled') return [s.value];
      console.error(s.reason);
      return [];
    });
  fulfilled(styles); // loading a style module is all it takes; failures are logged
  return { plugins: fulfilled(extensions).flatMap(pluginsOf), mimePlugins: fulfilled(mimeExtensions).flatMap(pluginsOf) };
}
