/**
 * The EPUB container: a zip whose first entry is `mimetype`, stored uncompressed, and whose
 * bytes depend on nothing but the content and the given date.
 */
import { zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  path: string;
  data: Uint8Array | string;
  /** Store uncompressed (the mimetype entry must be). */
  store?: boolean;
}

/** DOS dates start in 1980; anything earlier is written as 1980-01-01. */
const DOS_EPOCH = Date.UTC(1980, 0, 1);

export function zip(entries: readonly ZipEntry[], date: Date): Uint8Array {
  // fflate writes DOS times from the Date's local fields: hand it a Date whose local fields are
  // the UTC ones, so the bytes are the same in every time zone.
  const utc = new Date(Math.max(date.getTime(), DOS_EPOCH));
  const mtime = new Date(
    utc.getUTCFullYear(),
    utc.getUTCMonth(),
    utc.getUTCDate(),
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds(),
  );
  const files: Zippable = {};
  for (const e of entries) {
    const data = typeof e.data === 'string' ? new TextEncoder().encode(e.data) : e.data;
    files[e.path] = [data, { level: e.store ? 0 : 9, mtime, os: 0 }];
  }
  return zipSync(files);
}
