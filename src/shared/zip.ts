/**
 * The EPUB and DOCX container: a zip whose first entry is `mimetype`, stored uncompressed, and
 * whose bytes depend on nothing but the content and the given date: not the time zone.
 *
 * Laid out byte for byte as fflate's zipSync lays it out (local headers and data in order, the
 * central directory, the end record; version 20, no extra fields), with fflate's deflate; written
 * here so that an entry met again in a process (a DOCX's embedded fonts: every Latin document's
 * are the same subsets, embed.ts) is deflated once. On a hundred small documents the DOCXs spent
 * 8.4 s of 15 s deflating the same fonts again.
 */
import { deflateSync } from 'fflate';

export interface ZipEntry {
  path: string;
  data: Uint8Array | string;
  /** Store uncompressed (the mimetype entry must be). */
  store?: boolean;
  /**
   * Deflate at level 6 rather than 9: for large binary entries (a DOCX's embedded fonts) level 9
   * takes 3.4 times as long for 0.2% less (measured on the 14 fonts of a DOCX: 129 ms, 664 KB at
   * 9; 38 ms, 665 KB at 6).
   */
  fast?: boolean;
  /**
   * `data` is an array other outputs of the build are given too (never changed after): deflated
   * once a process, kept for the next.
   */
  recurs?: boolean;
}

/** Deflated entries that recur, by their bytes (the array itself) and level. */
const deflated = new WeakMap<Uint8Array, Map<number, { crc: number; data: Uint8Array }>>();

/** DOS dates start in 1980; anything earlier is written as 1980-01-01. */
const DOS_EPOCH = Date.UTC(1980, 0, 1);
/** And end in 2107 (seven bits of years); the build refuses dates after 2099 before this. */
const DOS_END = Date.UTC(2108, 0, 1);

export function zip(entries: readonly ZipEntry[], date: Date): Uint8Array {
  const stamp = dosDateTime(date);
  const encoder = new TextEncoder();
  const files = entries.map((e) => {
    const data = typeof e.data === 'string' ? encoder.encode(e.data) : e.data;
    const name = encoder.encode(e.path);
    const level = e.store ? 0 : e.fast ? 6 : 9;
    const packed = level === 0 ? { crc: crc32(data), data } : compress(data, level, e.recurs === true);
    // The language encoding flag (bit 11) for a name past ASCII, as fflate sets it.
    return { name, utf8: name.length !== e.path.length, method: level === 0 ? 0 : 8, size: data.length, ...packed };
  });
  let local = 0;
  let central = 0;
  for (const f of files) {
    local += 30 + f.name.length + f.data.length;
    central += 46 + f.name.length;
  }
  const out = new Uint8Array(local + central + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  const offsets: number[] = [];
  for (const f of files) {
    offsets.push(at);
    at = header(view, out, at, f, stamp);
    out.set(f.data, at);
    at += f.data.length;
  }
  files.forEach((f, i) => (at = header(view, out, at, f, stamp, offsets[i])));
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, files.length, true);
  view.setUint16(at + 10, files.length, true);
  view.setUint32(at + 12, central, true);
  view.setUint32(at + 16, local, true);
  return out;
}

interface Packed {
  name: Uint8Array;
  utf8: boolean;
  method: number;
  size: number;
  crc: number;
  data: Uint8Array;
}

/** Writes an entry's local header at `at`, or with `offset` (its local header's) its central directory entry; returns where it ends. */
function header(view: DataView, out: Uint8Array, at: number, f: Packed, stamp: { date: number; time: number }, offset?: number): number {
  const central = offset !== undefined;
  view.setUint32(at, central ? 0x02014b50 : 0x04034b50, true);
  at += 4;
  // Made by: version 2.0, MS-DOS (central directory only); needed to extract: 2.0.
  if (central) view.setUint16(at, 20, true), (at += 2);
  view.setUint16(at, 20, true);
  view.setUint16(at + 2, f.utf8 ? 0x800 : 0, true);
  view.setUint16(at + 4, f.method, true);
  view.setUint16(at + 6, stamp.time, true);
  view.setUint16(at + 8, stamp.date, true);
  view.setUint32(at + 10, f.crc, true);
  view.setUint32(at + 14, f.data.length, true);
  view.setUint32(at + 18, f.size, true);
  view.setUint16(at + 22, f.name.length, true);
  at += 26;
  // Comment length, disk, attributes: zero; then where the entry's local header is.
  if (central) view.setUint32(at + 10, offset, true), (at += 14);
  out.set(f.name, at);
  return at + f.name.length;
}

function compress(data: Uint8Array, level: 6 | 9, recurs: boolean): { crc: number; data: Uint8Array } {
  if (!recurs) return { crc: crc32(data), data: deflateSync(data, { level }) };
  let levels = deflated.get(data);
  if (!levels) deflated.set(data, (levels = new Map()));
  let packed = levels.get(level);
  if (!packed) levels.set(level, (packed = { crc: crc32(data), data: deflateSync(data, { level }) }));
  return packed;
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** The CRC-32 of a zip entry (ISO 3309, as zip and PNG use it). */
function crc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 255]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The DOS date and time of `date`'s UTC fields (two-second steps), clamped to 1980. */
export function dosDateTime(date: Date): { date: number; time: number } {
  const t = Math.max(date.getTime(), DOS_EPOCH);
  if (!(t < DOS_END)) throw new RangeError(`a zip entry cannot be dated ${date.toISOString()}: DOS dates end in 2107`);
  const d = new Date(t);
  return {
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}
