/**
 * The page configuration the server writes into `<script id="tl-config">`: base URL, WebSocket
 * URL and token of the Jupyter server, and the page's route prefix.
 */
import { ServerConnection } from '@jupyterlab/services';

export interface PageConfig {
  baseUrl: string;
  wsUrl: string;
  token: string;
  /** URL prefix of the front-end's pages, e.g. `/transportlab/`. */
  appUrl: string;
  /** The kernel cells run on. */
  kernelName: string;
}

/** Reads the configuration embedded in the page. */
export function pageConfig(): PageConfig {
  const el = document.getElementById('tl-config');
  if (!el) throw new Error('page without #tl-config');
  return JSON.parse(el.textContent ?? '{}') as PageConfig;
}

/** Server connection settings (token auth) for @jupyterlab/services. */
export function serverSettings(c: PageConfig): ServerConnection.ISettings {
  const origin = window.location.origin;
  return ServerConnection.makeSettings({
    baseUrl: new URL(c.baseUrl, origin).href,
    wsUrl: c.wsUrl || new URL(c.baseUrl, origin).href.replace(/^http/, 'ws'),
    token: c.token,
    appendToken: true,
  });
}
