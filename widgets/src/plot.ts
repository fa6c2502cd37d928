/**
 * Drawing a figure state with plotly.js: binary buffers arrive as DataViews (Float32 data, see
 * src/widgets/protocol.ts on the kernel side) and become Float32Arrays; redraws use
 * `Plotly.react` (in place, keeps zoom state cheap). Each redraw bumps `data-revision` on the
 * plot element (tests and users can watch it).
 */
import Plotly from 'plotly.js-dist-min';

/** A plotly figure as the kernel sends it. */
export interface Figure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
}

/** Replaces every DataView inside `v` by a Float32Array copy (aligned) of its bytes. */
export function withTypedArrays<T>(v: T): T {
  if (v instanceof DataView) return new Float32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)) as T;
  if (Array.isArray(v)) return v.map(withTypedArrays) as T;
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = withTypedArrays(x);
  return out as T;
}

/** Draws (or redraws in place) `figure` into `el`. */
export async function draw(el: HTMLElement, figure: Figure | undefined): Promise<void> {
  if (!figure) return;
  const fig = withTypedArrays(figure);
  await Plotly.react(el, fig.data as never, { autosize: true, ...(fig.layout ?? {}) } as never, { responsive: true, displaylogo: false });
  el.dataset.revision = String(Number(el.dataset.revision ?? '0') + 1);
}

/** Frees plotly's resources of `el`. */
export function purge(el: HTMLElement): void {
  Plotly.purge(el);
}
