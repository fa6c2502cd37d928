/**
 * A kernel-side Jupyter widget model: the state of one widget, kept in sync with the front-end
 * views over a comm on target `jupyter.widget` (protocol 2.1.0, see `protocol.ts`).
 *
 * - Opening sends `comm_open` with `{ state, buffer_paths }` and metadata `{ version: '2.1.0' }`;
 *   typed arrays in the state travel as binary buffers.
 * - {@link WidgetModel.set} sends `{ method: 'update', state, buffer_paths }` with the changed keys.
 * - From the front-end: `update` (a view changed a trait; the kernel applies it, calls the change
 *   handlers and answers `echo_update`), `request_state` (answered with the full state) and
 *   `custom` (passed to the custom handlers).
 * - The display bundle is `application/vnd.jupyter.widget-view+json` `{ model_id, version_major: 2 }`
 *   plus whatever static fallback the widget gives (a plotly bundle), for viewers without a widget
 *   manager.
 *
 * Outside a Jupyter kernel (a plain Node script) no comm is opened: the model keeps its state and
 * nothing is sent.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';
import { Comm, type CommManager, type CommMessage } from '../kernel/comm.js';
import { getPublisher } from '../kernel/context.js';
import { display, type DisplayHandle, type MimeBundle } from '../kernel/display.js';
import { PROTOCOL_VERSION, WIDGET_MODULE, WIDGET_MODULE_VERSION, WIDGET_TARGET, WIDGET_VIEW_MIME, putBuffers, separateBuffers, type BufferPath } from './protocol.js';

/** Called with the keys a front-end view changed (already applied to the model). */
export type ChangeHandler = (changes: Record<string, unknown>) => void | Promise<void>;
/** Called with the content and buffers of a `custom` message from a front-end view. */
export type CustomHandler = (content: unknown, buffers: Buffer[]) => void | Promise<void>;

/** Options of a {@link WidgetModel}. */
export interface WidgetModelOptions {
  /** The comm manager (default: the kernel's). */
  manager?: CommManager;
}

/** One widget model synced with the front-end (see the module documentation). */
export class WidgetModel {
  private readonly state: Record<string, unknown>;
  private readonly comm?: Comm;
  private readonly changeHandlers: ChangeHandler[] = [];
  private readonly customHandlers: CustomHandler[] = [];

  /**
   * Creates the model `modelName` drawn by the view `viewName` of the transportlab widget module,
   * with the initial `state`, and opens its comm when running in a kernel.
   */
  constructor(readonly modelName: string, readonly viewName: string, state: Record<string, unknown>, options: WidgetModelOptions = {}) {
    if (typeof modelName !== 'string' || modelName === '') throw new ArgumentError('modelName', 'a non-empty string', modelName);
    if (typeof viewName !== 'string' || viewName === '') throw new ArgumentError('viewName', 'a non-empty string', viewName);
    if (state === null || typeof state !== 'object') throw new ArgumentError('state', 'an object', state);
    this.state = {
      _model_module: WIDGET_MODULE,
      _model_module_version: WIDGET_MODULE_VERSION,
      _model_name: modelName,
      _view_module: WIDGET_MODULE,
      _view_module_version: WIDGET_MODULE_VERSION,
      _view_name: viewName,
      _view_count: null,
      _dom_classes: [],
      ...state,
    };
    if (!getPublisher()) return;
    const { state: json, bufferPaths, buffers } = separateBuffers(this.state);
    this.comm = new Comm(WIDGET_TARGET, { state: json, buffer_paths: bufferPaths }, { version: PROTOCOL_VERSION }, buffers, { manager: options.manager });
    this.comm.onMsg((msg) => this.receive(msg));
  }

  /** The model id (the comm id), or `undefined` outside a kernel. */
  get modelId(): string | undefined {
    return this.comm?.commId;
  }

  /** Whether the model is connected to a front-end (a comm is open). */
  get live(): boolean {
    return this.comm !== undefined && !this.comm.isClosed;
  }

  /** The current value of a state key. */
  get(key: string): unknown {
    return this.state[key];
  }

  /** Sets state keys and sends them to the front-end as one `update` message. */
  set(changes: Record<string, unknown>): void {
    Object.assign(this.state, changes);
    this.sendState('update', changes);
  }

  /** Sends a `custom` message (JSON content and binary buffers) to the front-end views. */
  sendCustom(content: unknown, buffers: ArrayBufferView[] = []): void {
    if (this.live) this.comm!.send({ method: 'custom', content }, {}, buffers);
  }

  /** Calls `handler` whenever a front-end view changes state keys. */
  onChange(handler: ChangeHandler): void {
    this.changeHandlers.push(handler);
  }

  /** Calls `handler` on every `custom` message from a front-end view. */
  onCustom(handler: CustomHandler): void {
    this.customHandlers.push(handler);
  }

  /** The display bundle: the widget view, `text/plain`, and the `fallback` bundle for viewers without a widget manager. */
  mimeBundle(fallback: MimeBundle = {}, text = `${this.modelName} widget`): MimeBundle {
    const view = this.modelId === undefined ? {} : { [WIDGET_VIEW_MIME]: { model_id: this.modelId, version_major: 2, version_minor: 1 } };
    return { ...fallback, 'text/plain': text, ...view };
  }

  /** Displays the widget in the current cell's output. */
  display(fallback: MimeBundle = {}, text?: string): DisplayHandle {
    return display.bundle(this.mimeBundle(fallback, text));
  }

  /** Closes the comm: the front-end views are removed. */
  close(): void {
    this.comm?.close();
  }

  private sendState(method: 'update' | 'echo_update', changes: Record<string, unknown>): void {
    if (!this.live) return;
    const { state, bufferPaths, buffers } = separateBuffers(changes);
    this.comm!.send({ method, state, buffer_paths: bufferPaths }, {}, buffers);
  }

  private async receive(msg: CommMessage): Promise<void> {
    const data = msg.data as { method?: string; state?: Record<string, unknown>; buffer_paths?: BufferPath[]; content?: unknown };
    switch (data?.method) {
      case 'update': {
        const changes = { ...(data.state ?? {}) };
        putBuffers(changes, data.buffer_paths ?? [], msg.buffers);
        Object.assign(this.state, changes);
        this.sendState('echo_update', changes);
        for (const h of this.changeHandlers) await h(changes);
        return;
      }
      case 'request_state':
        this.sendState('update', this.state);
        return;
      case 'custom':
        for (const h of this.customHandlers) await h(data.content, msg.buffers);
        return;
      default:
        throw new ArgumentError('comm message', "a widget message with method 'update', 'request_state' or 'custom'", data?.method);
    }
  }
}
