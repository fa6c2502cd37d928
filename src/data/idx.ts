/**
 * The IDX file format of MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/): a magic
 * number 00 00 TT NN (TT the element type, NN the number of dimensions), NN big-endian uint32
 * sizes, then the elements in row-major order, big-endian.
 *
 * @module
 */
import { ArgumentError } from '../core/errors.js';

/** The element types of IDX, by type code. */
const TYPES: Record<number, { name: IdxArray['type']; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

/** A parsed IDX array. */
export interface IdxArray {
  type: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * Parses IDX bytes (already gunzipped).
 * @param what names the file in error messages.
 * @throws ArgumentError(what) for a short header, a bad magic number, an unknown type code,
 *   truncated data, or trailing bytes after the last element.
 */
export function parseIdx(bytes: Uint8Array, what = 'idx'): IdxArray {
  if (bytes.length < 4) throw new ArgumentError(what, 'an IDX file (at least a 4-byte magic number)', `${bytes.length} bytes`);
  const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const type = TYPES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type || bytes[3] < 1) {
    throw new ArgumentError(what, 'an IDX magic number 00 00 TT NN (TT in 08 09 0b 0c 0d 0e, NN ≥ 1)', hex);
  }
  const ndim = bytes[3];
  const header = 4 + 4 * ndim;
  if (bytes.length < header) throw new ArgumentError(what, `a ${header}-byte IDX header for ${ndim} dimensions`, `${bytes.length} bytes (truncated)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    shape.push(view.getUint32(4 + 4 * i, false));
    count *= shape[i];
  }
  const expected = header + count * type.bytes;
  if (bytes.length < expected) {
    throw new ArgumentError(what, `${expected} bytes for shape [${shape.join(', ')}] of ${type.name}`, `${bytes.length} bytes (truncated)`);
  }
  if (bytes.length > expected) {
    throw new ArgumentError(what, `${expected} bytes for shape [${shape.join(', ')}] of ${type.name}`, `${bytes.length} bytes (trailing data)`);
  }
  return { type: type.name, shape, data: readElements(view, header, count, type.name) };
}

function readElements(view: DataView, offset: number, count: number, type: IdxArray['type']): IdxArray['data'] {
  switch (type) {
    case 'uint8':
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int16':
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(offset + 2 * i, false));
    case 'int32':
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(offset + 4 * i, false));
    case 'float32':
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + 4 * i, false));
    case 'float64':
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(offset + 8 * i, false));
  }
}
