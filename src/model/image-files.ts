/**
 * What an image file holds, checked before any format embeds it: its type and size from its
 * header, and for a PNG the data itself (every chunk's checksum, and the pixel data inflating to
 * exactly the size its header gives). A PNG with garbage data or a header that claims 60000 x
 * 60000 pixels would otherwise reach pdfkit as a broken stream or an allocation it cannot make.
 */
import { inflateSync } from 'node:zlib';
import type { ImageAsset } from './images.js';

/** The largest image read, in bytes and in pixels: a full-page scan at 600 dpi is 35 MB, 35 Mpx. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 40_000_000;

export type ImageInfo = Pick<ImageAsset, 'mediaType' | 'width' | 'height'>;

/** The image's type and size, or why it cannot be used. */
export function imageInfo(data: Buffer): ImageInfo | { problem: string; hint: string } {
  const png = data.length >= 8 && data.readUInt32BE(0) === 0x89504e47;
  const info = png ? pngInfo(data) : jpegInfo(data);
  if (!info || typeof info === 'string') {
    return {
      problem: typeof info === 'string' ? `is a damaged ${png ? 'PNG' : 'JPEG'} file (${info})` : 'is not a readable PNG or JPEG file',
      hint: 'open it and export it again as PNG (charts, diagrams) or JPEG (photographs)',
    };
  }
  if (info.width * info.height > MAX_IMAGE_PIXELS) {
    return {
      problem: `is ${info.width} x ${info.height} pixels, more than the ${MAX_IMAGE_PIXELS / 1e6} million an edition takes`,
      hint: 'scale it down: a page-wide chart needs about 2000 pixels across',
    };
  }
  return info;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Samples per pixel of each PNG colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** A PNG's size after checking its chunks and inflating its pixel data; a string says what is wrong. */
function pngInfo(data: Buffer): ImageInfo | string | undefined {
  if (data.length < 33 || !data.subarray(0, 8).equals(PNG_SIGNATURE) || data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  const depth = data[24]!;
  const channels = CHANNELS[data[25]!];
  const interlaced = data[28] === 1;
  if (width === 0 || height === 0 || channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) return 'its header is not valid';
  if (width * height > MAX_IMAGE_PIXELS) return { mediaType: 'image/png', width, height };
  const idat: Buffer[] = [];
  let pos = 8;
  let ended = false;
  while (pos + 12 <= data.length) {
    const length = data.readUInt32BE(pos);
    const type = data.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > data.length) return `its ${type} chunk runs past the end of the file`;
    const crc = data.readUInt32BE(pos + 8 + length);
    if (crc32(data.subarray(pos + 4, pos + 8 + length)) !== crc) return `its ${type} chunk fails its checksum`;
    if (type === 'IDAT') idat.push(data.subarray(pos + 8, pos + 8 + length));
    pos += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) return 'it has no end chunk';
  if (idat.length === 0) return 'it has no pixel data';
  const expected = rawSize(width, height, depth * channels, interlaced);
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch {
    return 'its pixel data does not decompress';
  }
  if (raw.length !== expected) return `its pixel data is ${raw.length} bytes, not the ${expected} its size needs`;
  return { mediaType: 'image/png', width, height };
}

/** The bytes of a PNG's filtered scanlines: a filter byte and the packed samples of each row (of each Adam7 pass). */
function rawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w === 0 || h === 0 ? 0 : h * (1 + Math.ceil((w * bitsPerPixel) / 8)));
  if (!interlaced) return rows(width, height);
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ] as const;
  return passes.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A JPEG's size from its first start-of-frame marker, after checking that its markers chain up
 * to the image data and that the file ends where a JPEG ends. The compressed data itself is not
 * decoded: every format embeds a JPEG as it is, for the reader to decode.
 */
function jpegInfo(data: Buffer): ImageInfo | string | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let pos = 2;
  let frame: ImageInfo | undefined;
  while (pos + 4 <= data.length) {
    if (data[pos] !== 0xff) return 'its markers are broken';
    const marker = data[pos + 1]!;
    if (marker === 0xff) {
      pos++;
      continue;
    }
    const length = data.readUInt16BE(pos + 2);
    if (length < 2 || pos + 2 + length > data.length) return 'a marker runs past the end of the file';
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && !frame) {
      if (length < 8) return 'its frame header is cut short';
      const height = data.readUInt16BE(pos + 5);
      const width = data.readUInt16BE(pos + 7);
      if (width === 0 || height === 0) return 'its frame header gives no size';
      frame = { mediaType: 'image/jpeg', width, height };
    }
    if (marker === 0xda) {
      if (!frame) return 'its image data comes before its frame header';
      // The entropy-coded data runs to the end-of-image marker (trailing padding is allowed).
      const end = data.lastIndexOf(Buffer.from([0xff, 0xd9]));
      return end > pos ? frame : 'it is cut short (no end-of-image marker)';
    }
    pos += 2 + length;
  }
  return frame ? 'it is cut short (no image data)' : undefined;
}
