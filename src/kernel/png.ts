/**
 * A minimal PNG encoder (8-bit RGBA, no interlace) and the kernel logo drawn with it.
 * PNG = signature, IHDR, IDAT (zlib of scanlines each prefixed by filter byte 0), IEND; every
 * chunk is length, type, data, CRC-32 of type+data (ISO 3309 polynomial 0xEDB88320).
 *
 * @module
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes `rgba` (width·height·4 bytes, row-major) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, filter 0, no interlace
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * The kernel logo at `size`×`size`: a rounded dark square with two Gaussian blobs (a source and
 * a target density) joined by a transport arc. Drawn with 4×4 supersampling.
 */
export function drawLogo(size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const ss = 4;
  const paint = (u: number, v: number): [number, number, number, number] => {
    // rounded square mask
    const r = 0.18;
    const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0);
    const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
    if (dx * dx + dy * dy > r * r) return [0, 0, 0, 0];
    let col: [number, number, number] = [24, 38, 71];
    const arcR = 0.3;
    const dArc = Math.abs(Math.hypot(u - 0.5, v - 0.72) - arcR);
    if (v < 0.72 && dArc < 0.035) col = [236, 240, 245];
    const blob = (cu: number, cv: number, c: [number, number, number]) => {
      const w = Math.exp(-((u - cu) ** 2 + (v - cv) ** 2) / (2 * 0.07 ** 2));
      col = col.map((x, i) => x * (1 - w) + c[i] * w) as [number, number, number];
    };
    blob(0.22, 0.7, [255, 149, 0]);
    blob(0.78, 0.7, [0, 196, 180]);
    return [...col, 255];
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let i = 0; i < ss; i++) {
        for (let j = 0; j < ss; j++) {
          const p = paint((x + (i + 0.5) / ss) / size, (y + (j + 0.5) / ss) / size);
          for (let k = 0; k < 3; k++) acc[k] += p[k] * p[3];
          acc[3] += p[3];
        }
      }
      const o = (y * size + x) * 4;
      for (let k = 0; k < 3; k++) rgba[o + k] = acc[3] > 0 ? Math.round(acc[k] / acc[3]) : 0;
      rgba[o + 3] = Math.round(acc[3] / (ss * ss));
    }
  }
  return encodePng(size, size, rgba);
}
