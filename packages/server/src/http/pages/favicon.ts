import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/**
 * The favicon, drawn in code so the repository holds no binary: a 32x32 PNG (a white gate arch
 * on the accent blue) wrapped in an ICO container, the format `/favicon.ico` promises.
 */
const SIZE = 32;
const ACCENT = [0x24, 0x57, 0xd6] as const;

function insideArch(x: number, y: number, left: number, right: number, top: number): boolean {
  const cx = (left + right) / 2;
  const r = (right - left) / 2;
  if (x < left || x >= right) return false;
  if (y >= top + r) return true;
  return (x + 0.5 - cx) ** 2 + (y + 0.5 - (top + r)) ** 2 <= r * r;
}

function pixel(x: number, y: number): readonly [number, number, number, number] {
  // A rounded square (corner radius 6) filled with the accent colour.
  const corner = 6;
  const dx = Math.max(corner - x - 0.5, x + 0.5 - (SIZE - corner), 0);
  const dy = Math.max(corner - y - 0.5, y + 0.5 - (SIZE - corner), 0);
  if (dx * dx + dy * dy > corner * corner) return [0, 0, 0, 0];
  const gate = insideArch(x, y, 8, 24, 6) && y < 27 && !insideArch(x, y, 12, 20, 11);
  return gate ? [255, 255, 255, 255] : [...ACCENT, 255];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows: number[] = [];
  for (let y = 0; y < SIZE; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < SIZE; x++) rows.push(...pixel(x, y));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function ico(image: Buffer): Buffer {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(1, 4); // one image
  header.set([SIZE, SIZE, 0, 0], 6);
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(image.length, 14);
  header.writeUInt32LE(22, 18);
  return Buffer.concat([header, image]);
}

export const FAVICON_ICO: Buffer = ico(png());
export const FAVICON_ETAG = `"${createHash('sha256').update(FAVICON_ICO).digest('base64url').slice(0, 16)}"`;
