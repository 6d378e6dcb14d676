/**
 * Briefing packets: the two shipped packets built and read back through poppler and qpdf, and
 * packet files with bad references refused with their positions and what exists.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel } from '../src/model/types.js';
import { repositoryBuild, copySource, hasPoppler, hasQpdf, lineOf, read, REVISE_IV_2_3, run, runCli, SOURCE, tempDir } from './helpers.js';

let out: string;
let models: DocumentModel[];

beforeAll(async () => {
  ({ out, models } = await repositoryBuild());
});

const squash = (s: string) => s.replace(/\u00ad-?/g, '').replace(/\s+/g, ' ').trim();
const pageText = (file: string, page: number) => squash(run('pdftotext', ['-raw', '-f', String(page), '-l', String(page), file, '-']));

describe.each([
  ['economic-trade', 'es', 'Economic and Trade Cooperation', 'Cooperación económica y comercial', 'iv-2-3'],
  ['political', 'zh-Hans', 'Policy Goals and Political Cooperation', '政策目标与政治合作', 'iv-1-4'],
])('the %s packet (en+%s)', (id, lang, title, translatedTitle, cited) => {
  const pdf = () => path.join(out, `packets/${id}.en+${lang}.pdf`);
  const packetFile = () => read(path.join(SOURCE, 'packets', `${id}.yaml`));

  it('is listed in the manifest in every format asked for, as a briefing edition', () => {
    const manifest = JSON.parse(read(path.join(out, 'manifest.json'))) as { outputs: { path: string; edition: string; languages: string[]; document: string }[] };
    const mine = manifest.outputs.filter((o) => o.document === id);
    expect(mine.map((o) => o.path)).toEqual(['docx', 'epub', 'html', 'pdf'].map((f) => `packets/${id}.en+${lang}.${f}`));
    for (const o of mine) expect(o).toMatchObject({ edition: 'briefing', languages: ['en', lang] });
  });

  it.skipIf(!hasPoppler() || !hasQpdf())('opens with the cover sheet, then the key points in both languages on one page', () => {
    expect(run('qpdf', ['--check', pdf()])).toContain('No syntax or stream encoding errors found');
    for (const row of run('pdffonts', [pdf()]).trim().split('\n').slice(2)) expect(row, row).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
    const cover = pageText(pdf(), 1);
    const en = packetFile().match(/^title:\n {2}en: "([^"]+)"\n {2}[\w-]+: "([^"]+)"/m)!;
    expect(en[1]).toBe(title);
    if (translatedTitle) expect(en[2]).toBe(translatedTitle);
    for (const expected of ['Briefing packet · Unclassified', en[1]!, 'Purpose:', 'Languages:', en[2]!]) expect(cover).toContain(expected);
    const keyPoints = pageText(pdf(), 2);
    const points = [...packetFile().matchAll(/^ {2}- en: "([^"]+)"\n {4}[\w-]+: "([^"]+)"/gm)];
    expect(points.length).toBeGreaterThanOrEqual(4);
    expect(keyPoints).toMatch(/^Key points/);
    // Every point, in both languages, on this one page (the next starts the background); up to
    // its first citation, which the Chinese side prints in the Chinese edition's numbers.
    const plain = (md: string) => squash(md.replace(/\*+/g, '')).split(/[（(]/)[0]!.slice(0, 30).replace(/ /g, '');
    for (const [, a, b] of points) {
      expect(keyPoints.replace(/ /g, '')).toContain(plain(a!));
      expect(keyPoints.replace(/ /g, '')).toContain(plain(b!));
    }
    expect(pageText(pdf(), 3)).toMatch(/^Background/);
  });

  it.skipIf(!hasPoppler() || !hasQpdf())('sets the chosen sections under their original numbers, and ends with the glossary and the sources', () => {
    const original = models.find((m) => m.lang === 'en')!;
    const section = original.allSections.find((s) => s.id === cited)!;
    const text = squash(run('pdftotext', ['-raw', pdf(), '-']));
    expect(text).toContain(`${section.citation} ${section.title}`);
    const outlines = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', pdf()])).outlines as { title: string }[];
    expect(outlines[0]!.title).toMatch(/^Key points \/ /);
    expect(outlines.at(-2)!.title).toMatch(/^Glossary \/ /);
    expect(outlines.at(-1)!.title).toMatch(/^Sources \/ /);
    expect(text).toContain(`Sections included: ${packetFile().includes('ids: [iv-2]') ? 'IV.2' : 'III, IV.1'}`);
  });
});

describe('a packet whose translation comes first', () => {
  it.skipIf(!hasPoppler())('sets the translation in the first column, names its files in that order, and flags its stale text', () => {
    const source = copySource({ ...REVISE_IV_2_3, 'packets/economic-trade.yaml': (t) => t.replace('languages: [en, es]', 'languages: [es, en]') });
    const out = path.join(tempDir(), 'dist');
    const r = runCli(['build', source, '--out', out, '--format', 'pdf', '-q']);
    expect(r.status, r.stderr).toBe(0);
    const pdf = path.join(out, 'packets/economic-trade.es+en.pdf');
    expect(pageText(pdf, 1)).toMatch(/^Carpeta informativa · Sin clasificar/);
    expect(pageText(pdf, 2)).toMatch(/^Puntos clave/);
    expect(pageText(pdf, 2)).toContain('Key points');
    const text = squash(run('pdftotext', ['-raw', pdf, '-']));
    expect(text.match(/Esta traducción se hizo a partir de un texto anterior del original\./g)).toHaveLength(1);
  });
});

describe('a packet file with a bad reference', () => {
  const broken = (change: (text: string) => string) => {
    const source = copySource({ 'packets/economic-trade.yaml': change });
    return { r: runCli(['build', source, '--out', path.join(tempDir(), 'dist')]), file: path.join(source, 'packets/economic-trade.yaml') };
  };

  it('naming a section that does not exist is refused at its place, with the sections that exist', () => {
    const { r, file } = broken((t) => t.replace('ids: [iv-2]', 'ids: [iv-2, iv-9]'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`economic-trade.yaml:${lineOf(file, 'iv-9')}:17: error: china-lac-policy has no section "iv-9" [packet-content]`);
    expect(r.stderr).toMatch(/hint: did you mean iv-1 or iv-2 or iv-3\? its sections: foreword, i, ii, iii, iv, iv-1, iv-2, iv-3, iv-4, v/);
    expect(r.stderr).not.toContain('    at ');
  });

  it('naming a language without a translation is refused, with the translations that exist', () => {
    const { r, file } = broken((t) => t.replace('languages: [en, es]', 'languages: [en, fr]').replace(/^( {4})es:/gm, '$1fr:').replace(/^( {2})es:/gm, '$1fr:'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`economic-trade.yaml:${lineOf(file, 'languages: [en, fr]')}:17: error: china-lac-policy has no translation into "fr" [packet-content]`);
    expect(r.stderr).toContain('hint: its translations: es, zh-Hans');
  });

  it('naming a glossary term missing from the termbase is refused, with the terms that exist', () => {
    const { r, file } = broken((t) => t.replace('  - south-south\n', '  - south-sout\n'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`economic-trade.yaml:${lineOf(file, '- south-sout')}:5: error: the glossary term "south-sout" is not in the termbase [packet-content]`);
    expect(r.stderr).toMatch(/hint: did you mean south-south\? terms in \S*source\/china-lac-policy\/termbase\.yaml: five-principles, one-china, south-south/);
  });

  it('choosing a section twice (here inside another chosen one) is refused', () => {
    const { r, file } = broken((t) => t.replace('ids: [iv-2]', 'ids: [iv-2, iv-2-3]'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`economic-trade.yaml:${lineOf(file, 'iv-2-3')}:17: error: the section "iv-2-3" of china-lac-policy repeats "iv-2-3", already chosen with china-lac-policy iv-2 [packet-content]`);
  });

  it('naming terms of a termbase that cannot be read reports the termbase once, and not each term', () => {
    const source = copySource({ 'china-lac-policy/termbase.yaml': (t) => t.replace('  five-principles:', '  five-principles: [') });
    const r = runCli(['check', source]);
    expect(r.status).toBe(1);
    expect(r.stderr.match(/termbase\.yaml:5:9: error: termbase is not valid YAML: Implicit keys/g)).toHaveLength(1);
    expect(r.stderr).not.toContain('[packet-content]');
  });

  it('missing the text in one of its languages is refused at that text', () => {
    const { r, file } = broken((t) => t.replace(/^( {2}es: "Sin clasificar[^\n]*\n)/m, ''));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`economic-trade.yaml:${lineOf(file, 'classification:') + 1}:3: error: classification has no es text [packet-content]`);
  });
});
