/**
 * Reproducible everywhere: the same sources give the same bytes whatever the machine's time zone
 * and locale. The repository's paper is built under four time zones (one with a daylight-saving
 * gap at midnight, one at UTC+14) and four locales (cs_CZ collates "ch" after "h", tr_TR cases
 * "i" its own way), each value alone against TZ=UTC LC_ALL=C: HTML, EPUB and DOCX for each, and
 * the PDF too for two. A fixture issued on a gap day, and a SOURCE_DATE_EPOCH in New York's gap,
 * prove the zip times; two documents named chile and cuba prove the order.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, read, runCli, tempDir } from './helpers.js';

const DST_GAP = path.join(ROOT, 'tests', 'fixtures', 'environment', 'dst-gap');

/** Every file under `dir` with its sha256. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dir, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return out;
}

interface Env {
  TZ: string;
  LC_ALL: string;
}

/** Builds `args` under `env` into a new folder; returns its hashes. */
function buildUnder(env: Env, args: string[], extra: NodeJS.ProcessEnv = {}): Record<string, string> {
  const out = path.join(tempDir(), 'dist');
  const r = runCli(['build', ...args, '--out', out, '-q'], { env: { ...env, LANG: env.LC_ALL, ...extra } });
  expect(r.status, `${JSON.stringify(env)}: ${r.stderr}`).toBe(0);
  return hashes(out);
}

/** The locale and time zone Node itself resolves under `env`: proof that the environment took effect. */
function resolved(env: Env): { locale: string; timeZone: string } {
  const r = spawnSync(
    process.execPath,
    ['-e', 'process.stdout.write(JSON.stringify({ locale: new Intl.Collator().resolvedOptions().locale, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }))'],
    { env: { ...process.env, ...env, LANG: env.LC_ALL }, encoding: 'utf8' },
  );
  return JSON.parse(r.stdout);
}

const REFERENCE: Env = { TZ: 'UTC', LC_ALL: 'C' };
/** Each time zone and each locale on its own, against the reference. */
const ONE_AT_A_TIME: Env[] = [
  { TZ: 'Asia/Shanghai', LC_ALL: 'C' },
  { TZ: 'America/Havana', LC_ALL: 'C' },
  { TZ: 'Pacific/Kiritimati', LC_ALL: 'C' },
  { TZ: 'UTC', LC_ALL: 'cs_CZ.UTF-8' },
  { TZ: 'UTC', LC_ALL: 'zh_CN.UTF-8' },
  { TZ: 'UTC', LC_ALL: 'tr_TR.UTF-8' },
];
/** Built in every format, PDF included. */
const WITH_PDF: Env[] = [
  { TZ: 'America/Havana', LC_ALL: 'cs_CZ.UTF-8' },
  { TZ: 'Pacific/Kiritimati', LC_ALL: 'tr_TR.UTF-8' },
];
const SOME = 'html,epub,docx';

describe('the repository builds byte-identically in every time zone and locale', () => {
  let all: Record<string, string>;
  let some: Record<string, string>;
  beforeAll(() => {
    all = buildUnder(REFERENCE, []);
    some = buildUnder(REFERENCE, ['--format', SOME]);
  });

  it('takes each environment (Node resolves the locale from LC_ALL whether or not the C library has it)', () => {
    expect(resolved({ TZ: 'America/Havana', LC_ALL: 'cs_CZ.UTF-8' })).toEqual({ locale: 'cs-CZ', timeZone: 'America/Havana' });
    expect(resolved({ TZ: 'Pacific/Kiritimati', LC_ALL: 'tr_TR.UTF-8' })).toEqual({ locale: 'tr-TR', timeZone: 'Pacific/Kiritimati' });
    expect(resolved({ TZ: 'Asia/Shanghai', LC_ALL: 'zh_CN.UTF-8' })).toEqual({ locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
  });

  it('builds the HTML, EPUB and DOCX of the full build when asked for those formats only', () => {
    // The subset is the full build's files of those formats, plus its own manifest and catalogue.
    const own = new Set(['manifest.json', 'index.html']);
    expect(Object.keys(all).length).toBe(30);
    for (const [file, sha] of Object.entries(some)) if (!own.has(file)) expect(sha, file).toBe(all[file]);
  });

  for (const env of ONE_AT_A_TIME) {
    it(`HTML, EPUB and DOCX under TZ=${env.TZ} LC_ALL=${env.LC_ALL}`, () => {
      expect(buildUnder(env, ['--format', SOME])).toEqual(some);
    });
  }

  for (const env of WITH_PDF) {
    it(`every format under TZ=${env.TZ} LC_ALL=${env.LC_ALL}`, () => {
      expect(buildUnder(env, [])).toEqual(all);
    });
  }
});

describe('dates in UTC only', () => {
  /** The DOS date and time of the first entry of a zip. */
  const dosStamp = (zip: Buffer) => ({ time: zip.readUInt16LE(10), date: zip.readUInt16LE(12) });
  const day = (y: number, m: number, d: number) => ((y - 1980) << 9) | (m << 5) | d;

  it('a document issued on a daylight-saving-gap day (Havana has no midnight on 2024-03-10) gives the same bytes there', () => {
    const utc = buildUnder(REFERENCE, [DST_GAP, '--format', 'epub,docx']);
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['build', DST_GAP, '--out', out, '--format', 'epub,docx', '-q'], { env: { TZ: 'America/Havana' } }).status).toBe(0);
    expect(hashes(out)).toEqual(utc);
    for (const format of ['epub', 'docx']) {
      const zip = readFileSync(path.join(out, `dst-gap/dst-gap.en.${format}`));
      expect(dosStamp(zip), format).toEqual({ time: 0, date: day(2024, 3, 10) });
    }
    const core = new TextDecoder().decode(unzipSync(readFileSync(path.join(out, 'dst-gap/dst-gap.en.docx')))['docProps/core.xml']);
    expect(core).toContain('>2024-03-10T00:00:00Z</dcterms:created>');
  });

  it('a SOURCE_DATE_EPOCH in New York\'s gap (02:30 UTC on 2024-03-10 is no local time there) gives the same bytes there', () => {
    const epoch = { SOURCE_DATE_EPOCH: String(Date.UTC(2024, 2, 10, 2, 30) / 1000) };
    const utc = buildUnder(REFERENCE, [DST_GAP, '--format', 'epub,docx,html'], epoch);
    const newYork = buildUnder({ TZ: 'America/New_York', LC_ALL: 'C' }, [DST_GAP, '--format', 'epub,docx,html'], epoch);
    expect(newYork).toEqual(utc);
  });

  it('dates the zip entries of SOURCE_DATE_EPOCH 4102444799, the last second it may be, in 2099', () => {
    const out = path.join(tempDir(), 'dist');
    const r = runCli(['build', DST_GAP, '--out', out, '--format', 'epub', '-q'], { env: { SOURCE_DATE_EPOCH: '4102444799', TZ: 'Pacific/Kiritimati' } });
    expect(r.status, r.stderr).toBe(0);
    // 23:59:58 (DOS times count two seconds).
    expect(dosStamp(readFileSync(path.join(out, 'dst-gap/dst-gap.en.epub')))).toEqual({ time: (23 << 11) | (59 << 5) | 29, date: day(2099, 12, 31) });
  });
});

describe('order by code point', () => {
  it('lists documents and manifest entries the same under cs_CZ, where "ch" collates after "h"', () => {
    const source = tempDir();
    for (const id of ['cuba', 'chile', 'haiti']) {
      mkdirSync(path.join(source, id));
      writeFileSync(path.join(source, id, 'paper.en.md'), `---\ntitle: ${id}\nissuer: I\nissued: 2008-11-05\nlanguage: en\n---\n\n# One\n\nText.\n`);
    }
    const order = (lcAll: string) => {
      const out = path.join(tempDir(), 'dist');
      const r = runCli(['build', source, '--out', out, '--format', 'html'], { env: { LC_ALL: lcAll, LANG: lcAll } });
      expect(r.status, r.stderr).toBe(0);
      return {
        log: r.stdout.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/).at(-1)),
        manifest: JSON.parse(read(path.join(out, 'manifest.json'))).outputs.map((o: { path: string }) => o.path),
        catalogue: hashes(out)['index.html'],
      };
    };
    const c = order('C');
    expect(c.manifest).toEqual(['chile/chile.en.html', 'cuba/cuba.en.html', 'haiti/haiti.en.html']);
    expect(c.log).toEqual(c.manifest);
    expect(order('cs_CZ.UTF-8')).toEqual(c);
  });
});
