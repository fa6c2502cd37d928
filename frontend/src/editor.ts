/** The cell editor: CodeMirror 6 with TypeScript highlighting, history, and run keys. */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';

/** Keys handled by the notebook rather than the editor. */
export interface EditorKeys {
  /** Shift+Enter: run and go to the next cell. */
  runAndAdvance(): void;
  /** Ctrl+Enter: run in place. */
  run(): void;
  /** Ctrl+S: save. */
  save(): void;
  /** The editor got the focus. */
  focused(): void;
}

/** A CodeMirror editor holding `source`, for code (`typescript`) or markdown. */
export function createEditor(parent: HTMLElement, source: string, language: 'typescript' | 'markdown', keys: EditorKeys): EditorView {
  const runKeys = Prec.highest(
    keymap.of([
      { key: 'Shift-Enter', run: () => (keys.runAndAdvance(), true) },
      { key: 'Mod-Enter', run: () => (keys.run(), true) },
      { key: 'Mod-s', run: () => (keys.save(), true), preventDefault: true },
    ]),
  );
  const state = EditorState.create({
    doc: source,
    extensions: [
      runKeys,
      language === 'typescript' ? [lineNumbers(), javascript({ typescript: true })] : EditorView.lineWrapping,
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      highlightActiveLine(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.domEventHandlers({ focus: () => void keys.focused() }),
    ],
  });
  return new EditorView({ state, parent });
}
