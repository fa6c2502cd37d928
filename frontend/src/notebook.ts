/**
 * An open notebook: its cells, its kernel session (kernel `transportlab` by default), execution
 * with outputs routed into each cell's output area (streams, results, displays and their updates
 * by display id, errors, clear_output), live widgets through the kernel's comms, interrupt,
 * restart, and saving through the contents API (with the widget state in the metadata).
 */
import type * as nbformat from '@jupyterlab/nbformat';
import type { OutputAreaModel } from '@jupyterlab/outputarea';
import type { RenderMimeRegistry } from '@jupyterlab/rendermime';
import type { ContentsManager, KernelMessage, Session, SessionManager } from '@jupyterlab/services';
import { Cell, CodeCell, MarkdownCell } from './cells.js';
import type { EditorKeys } from './editor.js';
import { KernelWidgetManager } from './widgets.js';

const WIDGET_STATE_MIME = 'application/vnd.jupyter.widget-state+json';

/** What the notebook needs from the page. */
export interface NotebookServices {
  contents: ContentsManager;
  sessions: SessionManager;
  rendermime: RenderMimeRegistry;
  kernelName: string;
  /** Called when the kernel status or the dirty flag changes. */
  onStatus(status: string, dirty: boolean): void;
}

/** One open notebook (see the module documentation). */
export class Notebook {
  readonly node = document.createElement('div');
  private cells: Cell[] = [];
  private active = 0;
  private session?: Session.ISessionConnection;
  /** The widget manager of the current kernel. */
  manager?: KernelWidgetManager;
  private metadata: nbformat.INotebookMetadata = { kernelspec: { name: 'transportlab', display_name: 'TypeScript (transportlab)' }, language_info: { name: 'typescript' } };
  private displays = new Map<string, { model: OutputAreaModel; index: number }[]>();
  private dirty = false;
  private status = 'starting';

  constructor(readonly path: string, private readonly services: NotebookServices) {
    this.node.className = 'tl-notebook';
  }

  /** Loads the notebook, renders its cells (and saved widgets), and connects to its kernel. */
  async open(): Promise<void> {
    const model = await this.services.contents.get(this.path, { type: 'notebook', content: true });
    const nb = model.content as nbformat.INotebookContent;
    this.metadata = { ...this.metadata, ...nb.metadata };
    for (const c of nb.cells) this.append(this.cellOf(c));
    if (this.cells.length === 0) this.append(this.cellOf({ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }));
    this.select(0);
    await this.connect();
    const saved = (this.metadata.widgets as Record<string, unknown> | undefined)?.[WIDGET_STATE_MIME];
    if (saved && this.manager) {
      await this.manager.set_state(saved as never);
      this.rerenderOutputs();
    }
  }

  private async connect(): Promise<void> {
    const { sessions, kernelName } = this.services;
    await sessions.refreshRunning();
    const existing = await sessions.findByPath(this.path);
    this.session = existing
      ? sessions.connectTo({ model: existing })
      : await sessions.startNew({ path: this.path, name: this.path.split('/').pop() ?? this.path, type: 'notebook', kernel: { name: kernelName } });
    const kernel = this.session.kernel!;
    this.manager = new KernelWidgetManager(kernel);
    kernel.statusChanged.connect((_k, s) => this.setStatus(s));
    this.setStatus(kernel.status);
  }

  private setStatus(s: string): void {
    this.status = s;
    this.services.onStatus(s, this.dirty);
  }

  private markDirty(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.services.onStatus(this.status, true);
  }

  private keys(cell: () => Cell): EditorKeys {
    return {
      runAndAdvance: () => void this.runAndAdvance(),
      run: () => void this.run(cell()),
      save: () => void this.save(),
      focused: () => this.select(this.cells.indexOf(cell())),
    };
  }

  private cellOf(json: nbformat.ICell): Cell {
    let cell!: Cell;
    const keys = this.keys(() => cell);
    if (json.cell_type === 'code') cell = new CodeCell(json as nbformat.ICodeCell, this.services.rendermime, keys);
    else cell = new MarkdownCell(json as nbformat.IMarkdownCell, this.services.rendermime, keys, json.cell_type === 'raw' ? 'raw' : 'markdown');
    cell.node.addEventListener('mousedown', () => this.select(this.cells.indexOf(cell)));
    cell.node.addEventListener('input', () => this.markDirty());
    cell.node.addEventListener('keydown', () => this.markDirty());
    return cell;
  }

  private append(cell: Cell, at = this.cells.length): void {
    this.cells.splice(at, 0, cell);
    const next = this.node.children[at];
    if (next) this.node.insertBefore(cell.node, next);
    else this.node.appendChild(cell.node);
    cell.mounted();
  }

  /** Makes cell `i` the active one. */
  select(i: number): void {
    if (i < 0 || i >= this.cells.length) return;
    this.cells[this.active]?.setActive(false);
    this.active = i;
    this.cells[i].setActive(true);
  }

  /** The active cell. */
  get activeCell(): Cell {
    return this.cells[this.active];
  }

  /** Inserts a new cell below the active one and focuses it. */
  insert(kind: 'code' | 'markdown'): void {
    const json: nbformat.ICell = kind === 'code' ? { cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null } : { cell_type: 'markdown', source: '', metadata: {} };
    const cell = this.cellOf(json);
    this.append(cell, this.active + 1);
    this.select(this.active + 1);
    if (cell instanceof MarkdownCell) cell.edit();
    else cell.focus();
    this.markDirty();
  }

  /** Deletes the active cell (a notebook keeps at least one). */
  remove(): void {
    if (this.cells.length <= 1) return;
    const [cell] = this.cells.splice(this.active, 1);
    cell.node.remove();
    if (cell instanceof CodeCell) cell.dispose();
    this.select(Math.min(this.active, this.cells.length - 1));
    this.markDirty();
  }

  /** Moves the active cell up (-1) or down (+1). */
  move(delta: -1 | 1): void {
    const to = this.active + delta;
    if (to < 0 || to >= this.cells.length) return;
    const [cell] = this.cells.splice(this.active, 1);
    cell.node.remove();
    this.active = to;
    this.append(cell, to);
    this.select(to);
    this.markDirty();
  }

  /** Runs the active cell and selects the next one (adding a cell at the end). */
  async runAndAdvance(): Promise<void> {
    const cell = this.activeCell;
    if (this.active === this.cells.length - 1) this.insert('code');
    else this.select(this.active + 1);
    this.activeCell.focus();
    await this.run(cell);
  }

  /** Runs every cell in order, stopping at the first error. */
  async runAll(): Promise<void> {
    for (const cell of [...this.cells]) if (!(await this.run(cell))) return;
  }

  /** Runs a cell: markdown is rendered, code is executed on the kernel. Resolves to false on an error. */
  async run(cell: Cell): Promise<boolean> {
    if (cell instanceof MarkdownCell) {
      await cell.render();
      return true;
    }
    const code = cell as CodeCell;
    const kernel = this.session?.kernel;
    if (!kernel) return false;
    this.markDirty();
    code.outputs.clear();
    code.setPrompt('*');
    const future = kernel.requestExecute({ code: code.source(), stop_on_error: true, allow_stdin: false });
    future.onIOPub = (msg) => this.output(code, msg);
    try {
      const reply = await future.done;
      const content = reply.content as KernelMessage.IExecuteReplyMsg['content'];
      code.setPrompt(content.status === 'aborted' ? null : (content as KernelMessage.IExecuteReply).execution_count);
      return content.status === 'ok';
    } catch {
      code.setPrompt(null);
      return false;
    }
  }

  private output(cell: CodeCell, msg: KernelMessage.IIOPubMessage): void {
    const type = msg.header.msg_type;
    const content = msg.content as Record<string, any>;
    const model = cell.outputs;
    switch (type) {
      case 'execute_input':
        cell.setPrompt('*');
        return;
      case 'stream':
        model.add({ output_type: 'stream', name: content.name, text: content.text });
        return;
      case 'execute_result':
      case 'display_data': {
        const out = type === 'execute_result'
          ? { output_type: type, data: content.data, metadata: content.metadata ?? {}, execution_count: content.execution_count }
          : { output_type: type, data: content.data, metadata: content.metadata ?? {} };
        model.add(out as nbformat.IOutput);
        const id = content.transient?.display_id as string | undefined;
        if (id) this.displays.set(id, [...(this.displays.get(id) ?? []), { model, index: model.length - 1 }]);
        return;
      }
      case 'update_display_data': {
        const id = content.transient?.display_id as string | undefined;
        for (const t of (id && this.displays.get(id)) || []) {
          if (t.index < t.model.length) t.model.set(t.index, { output_type: 'display_data', data: content.data, metadata: content.metadata ?? {} });
        }
        return;
      }
      case 'error':
        model.add({ output_type: 'error', ename: content.ename, evalue: content.evalue, traceback: content.traceback });
        return;
      case 'clear_output':
        model.clear(content.wait);
        return;
    }
  }

  /** Interrupts the running cell. */
  async interrupt(): Promise<void> {
    await this.session?.kernel?.interrupt();
  }

  /** Restarts the kernel (outputs stay; live widgets are gone). */
  async restart(): Promise<void> {
    try {
      await this.manager?.clear_state();
    } catch (e) {
      console.warn('closing the widgets of the old kernel:', e);
    }
    await this.session?.kernel?.restart();
  }

  /** The notebook as nbformat 4.5 JSON, with the live widgets' state in the metadata. */
  async toJSON(): Promise<nbformat.INotebookContent> {
    const metadata: nbformat.INotebookMetadata = { ...this.metadata };
    if (this.manager) {
      const state = await this.manager.get_state({ drop_defaults: true });
      if (Object.keys(state.state ?? {}).length > 0) metadata.widgets = { [WIDGET_STATE_MIME]: state as never };
    }
    return { nbformat: 4, nbformat_minor: 5, metadata, cells: this.cells.map((c) => c.toJSON()) };
  }

  /** Saves the notebook through the contents API. */
  async save(): Promise<void> {
    const content = await this.toJSON();
    await this.services.contents.save(this.path, { type: 'notebook', format: 'json', content });
    this.dirty = false;
    this.services.onStatus(this.status, false);
  }

  private rerenderOutputs(): void {
    for (const c of this.cells) {
      if (!(c instanceof CodeCell)) continue;
      const outputs = c.outputs.toJSON();
      c.outputs.clear();
      for (const o of outputs) c.outputs.add(o);
    }
  }

  /** Shuts the kernel connection down (the kernel keeps running on the server). */
  dispose(): void {
    this.manager?.dispose();
    this.session?.dispose();
  }
}
