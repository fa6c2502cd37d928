/**
 * The Jupyter widget message protocol 2.1.0 (jupyter-widgets/ipywidgets `packages/schema/messages.md`)
 * as the kernel side speaks it: the comm target, the module the front-end views live in, and the
 * separation of binary data from a JSON state.
 *
 * A state is JSON except for typed arrays anywhere inside it. {@link separateBuffers} replaces each
 * typed array by `null` (in arrays) or removes it (in objects), records its path in `buffer_paths`
 * and returns its bytes as a buffer, exactly as ipywidgets' `_remove_buffers` does; the front-end
 * (`@jupyter-widgets/base` `put_buffers`) puts each buffer back at its path as a `DataView`.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';

/** The comm target of widget models. */
export const WIDGET_TARGET = 'jupyter.widget';
/** The widget message protocol version (comm_open metadata `version`). */
export const PROTOCOL_VERSION = '2.1.0';
/** The MIME type of a widget view. */
export const WIDGET_VIEW_MIME = 'application/vnd.jupyter.widget-view+json';
/** The npm module of the front-end views (widgets/), as registered with the widget manager. */
export const WIDGET_MODULE = 'transportlab-widgets';
/** The semver range of that module the kernel asks for. */
export const WIDGET_MODULE_VERSION = '^0.1.0';

/** One path into a state: keys of objects and indices of arrays. */
export type BufferPath = (string | number)[];

/** A state without its binary parts, plus where they go and their bytes. */
export interface SeparatedState {
  state: Record<string, unknown>;
  bufferPaths: BufferPath[];
  buffers: Uint8Array[];
}

function isTypedArray(v: unknown): v is ArrayBufferView {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function bytesOf(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * Splits `state` into JSON and binary buffers (see the module documentation). The input is not
 * modified. Non-finite numbers cannot travel as JSON and are rejected with an ArgumentError.
 */
export function separateBuffers(state: Record<string, unknown>): SeparatedState {
  const bufferPaths: BufferPath[] = [];
  const buffers: Uint8Array[] = [];
  const walk = (v: unknown, path: BufferPath): unknown => {
    if (Array.isArray(v)) {
      return v.map((x, i) => {
        if (isTypedArray(x)) {
          bufferPaths.push([...path, i]);
          buffers.push(bytesOf(x));
          return null;
        }
        return walk(x, [...path, i]);
      });
    }
    if (typeof v === 'number' && !Number.isFinite(v)) throw new ArgumentError(`state.${path.join('.')}`, 'a finite number (JSON)', v);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined) continue;
      if (isTypedArray(x)) {
        bufferPaths.push([...path, k]);
        buffers.push(bytesOf(x));
      } else out[k] = walk(x, [...path, k]);
    }
    return out;
  };
  return { state: walk(state, []) as Record<string, unknown>, bufferPaths, buffers };
}

/** Puts `buffers` back into `state` at `bufferPaths` (the inverse of {@link separateBuffers}, as the front-end does). */
export function putBuffers(state: Record<string, unknown>, bufferPaths: BufferPath[], buffers: ArrayBufferView[]): void {
  if (!Array.isArray(bufferPaths) || bufferPaths.length !== buffers.length) {
    throw new ArgumentError('buffer_paths', `${buffers.length} paths (one per buffer)`, bufferPaths);
  }
  bufferPaths.forEach((path, i) => {
    if (!Array.isArray(path) || path.length === 0) throw new ArgumentError(`buffer_paths[${i}]`, 'a non-empty path', path);
    let obj: Record<string | number, unknown> = state;
    for (const key of path.slice(0, -1)) {
      const next = obj[key];
      if (next === null || typeof next !== 'object') throw new ArgumentError(`buffer_paths[${i}]`, 'a path into the state', path);
      obj = next as Record<string | number, unknown>;
    }
    const b = buffers[i];
    obj[path[path.length - 1]] = new DataView(b.buffer, b.byteOffset, b.byteLength);
  });
}
