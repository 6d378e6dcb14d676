/**
 * The container writer (src/shared/zip.ts) against fflate's zipSync, whose layout it keeps: the
 * same entries give the same bytes, so that no EPUB or DOCX changed when it replaced zipSync; an
 * entry given again (recurs), deflated once a process, is still written whole into each zip.
 */
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zip, type ZipEntry } from '../src/shared/zip.js';

const date = new Date(Date.UTC(2024, 5, 15, 12, 34, 56));
const font = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251);
const entries: ZipEntry[] = [
  { path: 'mimetype', data: 'application/epub+zip', store: true },
  { path: 'META-INF/', data: new Uint8Array(0) },
  { path: 'OEBPS/content.xhtml', data: `<p>${'texte répété, '.repeat(500)}</p>` },
  { path: 'OEBPS/名前.xhtml', data: '<p>中文</p>' },
  { path: 'word/fonts/font1.odttf', data: font, fast: true, recurs: true },
];

/** What zipSync writes for `entries` dated `date` (its local fields made the date's UTC ones). */
function reference(list: readonly ZipEntry[]): Uint8Array {
  const mtime = new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
  const files = Object.fromEntries(
    list.map((e) => [e.path, [typeof e.data === 'string' ? new TextEncoder().encode(e.data) : e.data, { level: e.store ? 0 : e.fast ? 6 : 9, mtime, os: 0 }]]),
  );
  return zipSync(files as Parameters<typeof zipSync>[0]);
}

describe('zip', () => {
  it("writes fflate's zipSync bytes for stored, deflated, empty and non-ASCII entries", () => {
    expect(Buffer.from(zip(entries, date)).equals(Buffer.from(reference(entries)))).toBe(true);
  });

  it('writes an entry that recurs whole in every zip it is given to', () => {
    const first = zip(entries, date);
    const second = zip([...entries.slice(0, 2), { path: 'word/fonts/font1.odttf', data: font, fast: true, recurs: true }], date);
    expect(unzipSync(first)['word/fonts/font1.odttf']).toEqual(font);
    expect(unzipSync(second)['word/fonts/font1.odttf']).toEqual(font);
    expect(Buffer.from(second).equals(Buffer.from(reference(entries.slice(0, 2).concat(entries[4]!))))).toBe(true);
  });

  it('dates every entry by the UTC fields of the date, whatever the time zone', () => {
    const bytes = zip(entries, date);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    // The first local header's time and date fields.
    expect(view.getUint16(10, true)).toBe((12 << 11) | (34 << 5) | (56 >> 1));
    expect(view.getUint16(12, true)).toBe(((2024 - 1980) << 9) | (6 << 5) | 15);
  });
});
