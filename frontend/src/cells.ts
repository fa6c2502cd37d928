/**
 * Notebook cells: code cells (editor, execution prompt, output area rendered by rendermime) and
 * markdown cells (editor while editing, rendered markdown otherwise), with their nbformat JSON.
 */
import type * as nbformat from '@jupyterlab/nbformat';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import type { RenderMimeRegistry } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import type { EditorView } from '@codemirror/view';
import { createEditor, type EditorKeys } from './editor.js';

function sourceText(s: nbformat.MultilineString | undefined): string {
  return Array.isArray(s) ? s.join('') : (s ?? '');
}

function newId(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** What every cell has. */
export abstract class Cell {
  readonly node = document.createElement('div');
  protected editor!: EditorView;
  readonly id: string;
  readonly metadata: Record<string, unknown>;

  constructor(json: Partial<nbformat.ICell>) {
    this.id = typeof json.id === 'string' ? json.id : newId();
    this.metadata = { ...(json.metadata ?? {}) };
    this.node.className = 'tl-cell';
  }

  /** The cell's text. */
  source(): string {
    return this.editor.state.doc.toString();
  }

  /** Replaces the cell's text. */
  setSource(text: string): void {
    this.editor.dispatch({ changes: { from: 0, to: this.editor.state.doc.length, insert: text } });
  }

  focus(): void {
    this.editor.focus();
  }

  setActive(on: boolean): void {
    this.node.classList.toggle('tl-active', on);
  }

  /** The cell's node was put into the document (Lumino widgets can only attach then). */
  abstract mounted(): void;

  abstract toJSON(): nbformat.ICell;
}

/** A code cell. */
export class CodeCell extends Cell {
  readonly outputs: OutputAreaModel;
  readonly area: OutputArea;
  private readonly prompt = document.createElement('div');
  private readonly out = document.createElement('div');
  executionCount: number | null;

  constructor(json: Partial<nbformat.ICodeCell>, rendermime: RenderMimeRegistry, keys: EditorKeys) {
    super(json);
    this.node.classList.add('tl-code-cell');
    this.executionCount = json.execution_count ?? null;
    const input = document.createElement('div');
    input.className = 'tl-input';
    this.prompt.className = 'tl-prompt';
    const editorHost = document.createElement('div');
    editorHost.className = 'tl-editor';
    input.append(this.prompt, editorHost);
    this.out.className = 'tl-outputs';
    this.node.append(input, this.out);
    this.editor = createEditor(editorHost, sourceText(json.source), 'typescript', keys);
    this.outputs = new OutputAreaModel({ trusted: true, values: (json.outputs ?? []) as nbformat.IOutput[] });
    this.area = new OutputArea({ model: this.outputs, rendermime });
    this.setPrompt(this.executionCount);
  }

  mounted(): void {
    if (!this.area.isAttached) Widget.attach(this.area, this.out);
  }

  /** Shows `[n]`, `[*]` while running, `[ ]` when never run. */
  setPrompt(count: number | null | '*'): void {
    if (count !== '*') this.executionCount = count;
    this.prompt.textContent = `[${count === null ? ' ' : count}]:`;
    this.node.classList.toggle('tl-running', count === '*');
  }

  toJSON(): nbformat.ICodeCell {
    return { cell_type: 'code', id: this.id, metadata: this.metadata as nbformat.ICodeCellMetadata, source: this.source(), outputs: this.outputs.toJSON(), execution_count: this.executionCount };
  }

  dispose(): void {
    this.area.dispose();
    this.editor.destroy();
  }
}

/** A markdown (or raw) cell: rendered unless being edited. */
export class MarkdownCell extends Cell {
  private readonly rendered = document.createElement('div');
  private readonly editorHost = document.createElement('div');
  private renderer?: Widget;

  constructor(json: Partial<nbformat.IMarkdownCell | nbformat.IRawCell>, private readonly rendermime: RenderMimeRegistry, keys: EditorKeys, readonly kind: 'markdown' | 'raw' = 'markdown') {
    super(json);
    this.node.classList.add('tl-markdown-cell');
    this.rendered.className = 'tl-rendered';
    this.editorHost.className = 'tl-editor';
    this.node.append(this.editorHost, this.rendered);
    this.editor = createEditor(this.editorHost, sourceText(json.source), 'markdown', keys);
    this.rendered.addEventListener('dblclick', () => this.edit());
  }

  mounted(): void {
    if (!this.renderer) void this.render();
  }

  /** Shows the editor. */
  edit(): void {
    this.node.classList.add('tl-editing');
    this.focus();
  }

  /** Renders the text (markdown through rendermime; raw as is) and hides the editor. */
  async render(): Promise<void> {
    this.node.classList.remove('tl-editing');
    this.renderer?.dispose();
    const text = this.source();
    if (this.kind === 'raw' || text.trim() === '') {
      this.rendered.textContent = text || 'double-click to edit';
      return;
    }
    this.rendered.textContent = '';
    const r = this.rendermime.createRenderer('text/markdown');
    this.renderer = r;
    Widget.attach(r, this.rendered);
    await r.renderModel(this.rendermime.createModel({ data: { 'text/markdown': text }, trusted: true }));
  }

  toJSON(): nbformat.ICell {
    return { cell_type: this.kind, id: this.id, metadata: this.metadata, source: this.source() } as nbformat.ICell;
  }
}
