/**
 * Renumbering without loss: when the original inserts, deletes or moves a section or paragraph,
 * the translations follow their recorded texts to the original's new IDs. What is unchanged
 * stays current and pairs with its text; exactly what is new is missing; what the original has
 * dropped is an orphan; packets, links and editorial repairs that name a renumbered section or
 * block are told its new ID.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { toString } from 'mdast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import { copySource, lineOf, read, runCli, tempDir } from './helpers.js';

const doc = (source: string, lang: string) => path.join(source, 'china-lac-policy', `paper.${lang}.md`);
const LANGS = ['es', 'zh-Hans'] as const;

/** The English with "### (3) New Cooperation" and a paragraph inserted under IV.2, (3)-(14) renumbered (4)-(15). */
function insertIv23(text: string): string {
  const from = text.indexOf('### (3) Financial Cooperation');
  const to = text.indexOf('## 3. In the Cultural');
  const renumbered = text.slice(from, to).replace(/^### \((\d+)\) /gm, (_, n: string) => `### (${Number(n) + 1}) `);
  return `${text.slice(0, from)}### (3) New Cooperation\n\nThe two sides will open a new field of cooperation.\n\n${renumbered}${text.slice(to)}`;
}

/** The end (line:col) of the last line before `text`'s line that has text: where a gap before it is reported. */
function endBefore(file: string, text: string): string {
  const lines = read(file).split('\n');
  let line = lineOf(file, text) - 1;
  while (lines[line - 1]!.trim() === '') line--;
  return `${line}:${lines[line - 1]!.length + 1}`;
}

function status(source: string): unknown {
  const r = runCli(['translations', 'status', '--json', source]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout).map((s: Record<string, unknown>) => ({ language: s.language, current: s.current, stale: s.stale, missing: s.missing }));
}

describe('a section inserted in the original, the sections after it renumbered', () => {
  let source: string;
  let checked: { status: number; stderr: string };
  beforeAll(() => {
    source = copySource({ 'china-lac-policy/paper.en.md': insertIv23 });
    checked = runCli(['check', source]);
  });

  it('keeps every other translated block current, and counts exactly the new heading and paragraph as missing', () => {
    expect(status(source)).toEqual(LANGS.map((language) => ({ language, current: 94, stale: 0, missing: 2 })));
  });

  it('reports the new heading and paragraph as one run not translated, where they go in each translation', () => {
    expect(checked.status, checked.stderr).toBe(0);
    const en = doc(source, 'en');
    const newAt = lineOf(en, '### (3) New Cooperation');
    const next = { es: '### (3) Cooperación financiera', 'zh-Hans': '### 3．金融合作' };
    for (const lang of LANGS) {
      const missing = checked.stderr.split('\n').filter((l) => l.includes(`paper.${lang}.md:`) && l.includes('[translation-missing]'));
      expect(missing).toEqual([
        expect.stringContaining(`paper.${lang}.md:${endBefore(doc(source, lang), next[lang])}: warning: iv-2-3 to iv-2-3-p1 are not translated: 2 segments (original at paper.en.md:${newAt}:1 to ${newAt + 2}:`),
      ]);
    }
    expect(checked.stderr).not.toContain('[translation-stale]');
    expect(checked.stderr).not.toContain('[translation-structure]');
    expect(checked.stderr).not.toContain('[translation-orphan]');
  });

  it("warns at each renumbered translated heading that its number is behind the original's, naming both IDs", () => {
    const es = doc(source, 'es');
    expect(checked.stderr).toContain(
      `paper.es.md:${lineOf(es, '### (3) Cooperación financiera')}:1: warning: the heading translates iv-2-4 ("(4) Financial Cooperation"), which was iv-2-3 when the translation was accepted: paper.en.md has been renumbered [translation-renumbered]\n  hint: number the heading as paper.en.md now numbers iv-2-4 ((4)), then run: editions translations accept`,
    );
    for (const lang of LANGS) {
      // (3)-(14), now (4)-(15).
      expect(checked.stderr.split('\n').filter((l) => l.includes(`paper.${lang}.md:`) && l.includes('[translation-renumbered]'))).toHaveLength(12);
    }
  });

  it("gives the translation's sections, blocks, internal links and short headings the original's new IDs", async () => {
    const es = doc(source, 'es');
    writeFileSync(es, read(es).replace('short-headings:\n', 'short-headings:\n  iv-2-3: Financiera\n').replace('### (2) Cooperación en materia de inversiones\n\n', '### (2) Cooperación en materia de inversiones\n\nVéase [la cooperación financiera](#iv-2-3) y [su texto](#iv-2-3-p1). '));
    const report = new Report();
    const models = await loadDocuments([source], report);
    const spanish = models.find((m) => m.lang === 'es')!;
    const financial = spanish.allSections.find((s) => s.text === '(3) Cooperación financiera')!;
    expect(financial.id).toBe('iv-2-4');
    expect(spanish.blocks.filter((b) => b.sectionId === 'iv-2-4').map((b) => b.id)).toEqual(['iv-2-4-p1']);
    expect(spanish.allSections.find((s) => s.text.startsWith('(14) '))!.id).toBe('iv-2-15');
    const links: string[] = [];
    const visit = (n: { type: string; url?: string; children?: unknown[] }): void => {
      if (n.type === 'link') links.push(n.url!);
      for (const c of n.children ?? []) visit(c as typeof n);
    };
    for (const b of spanish.blocks) visit(b.node as never);
    expect(links).toEqual(['#iv-2-4', '#iv-2-4-p1']);
    expect(spanish.meta['short-headings']).toEqual(expect.objectContaining({ 'iv-2-4': 'Financiera' }));
    expect(report.diagnostics.filter((d) => d.ruleId === 'short-heading')).toEqual([]);
    expect(report.diagnostics.filter((d) => d.ruleId === 'broken-link')).toEqual([]);
    const followed = report.diagnostics.filter((d) => d.ruleId === 'translation-renumbered' && d.message.startsWith('the link'));
    expect(followed.map((d) => `${d.place?.line}:${d.place?.column}: ${d.message}`)).toEqual([
      `${lineOf(es, 'Véase [la cooperación')}:7: the link points at #iv-2-3, the ID its text had when the translation was accepted: it follows the text to #iv-2-4`,
      `${lineOf(es, 'Véase [la cooperación')}:46: the link points at #iv-2-3-p1, the ID its text had when the translation was accepted: it follows the text to #iv-2-4-p1`,
    ]);
  });

  it('builds, pairing the Spanish "(3) Cooperación financiera" with the English "(4) Financial Cooperation", and the packets find their sections', () => {
    const out = path.join(tempDir(), 'dist');
    const r = runCli(['build', source, '--out', out, '--format', 'html', '-q']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('[packet-content]');
    const html = read(path.join(out, 'china-lac-policy/china-lac-policy.en+es.html'));
    expect(html).toContain(
      '<section id="iv-2-4"><div class="pair heading-pair"><div class="side" lang="en" xml:lang="en"><h4>(4) Financial Cooperation</h4></div><div class="side" lang="es" xml:lang="es"><h4>(3) Cooperación financiera</h4></div></div>',
    );
    // The new section stands beside the "not yet translated" flag.
    expect(html).toMatch(/<section id="iv-2-3"><div class="pair heading-pair"><div class="side" lang="en" xml:lang="en"><h4>\(3\) New Cooperation<\/h4><\/div><div class="side" lang="es" xml:lang="es"><p class="flag">Aún sin traducir\.<\/p>/);
    const packet = read(path.join(out, 'packets/economic-trade.en+es.html'));
    expect(packet).toContain('Financial Cooperation');
    expect(packet).toContain('Cooperación financiera');
  });

  it('keeps a packet\'s ID that the renumbering gave to a new section, and warns at it with the new ID of the section it named', () => {
    const packetFile = path.join(source, 'packets', 'economic-trade.yaml');
    writeFileSync(packetFile, read(packetFile).replace('ids: [iv-2]', 'ids: [iv-2-3]'));
    const line = lineOf(packetFile, 'ids: [iv-2-3]');
    const column = read(packetFile).split('\n')[line - 1]!.indexOf('iv-2-3') + 1;
    const r = runCli(['check', source]);
    expect(r.stderr).toContain(
      `packets/economic-trade.yaml:${line}:${column}: warning: the section "iv-2-3" of china-lac-policy is now "(3) New Cooperation": paper.en.md has been renumbered since its translations were accepted, and the section "iv-2-3" named then is now iv-2-4 ("(4) Financial Cooperation") [renumbered-id]\n  hint: if the packet means "(4) Financial Cooperation", write iv-2-4; it takes "(3) New Cooperation", as written`,
    );
    // It takes the new section, as written: which the Spanish does not translate yet.
    expect(r.stderr).toContain(`packets/economic-trade.yaml:${line}:${column}: error: the es translation of china-lac-policy does not translate section "iv-2-3" yet [packet-content]`);
  });
});

describe('a link of the original to a renumbered ID', () => {
  it('is kept as written, and warned at with the ID of the section it named when the translations were accepted', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': (t) => insertIv23(t).replace('### (1) Trade\n\n', '### (1) Trade\n\nSee [financial cooperation](#iv-2-3). ') });
    const en = doc(source, 'en');
    const r = runCli(['check', source]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `paper.en.md:${lineOf(en, 'See [financial cooperation]')}:5: warning: the link points at #iv-2-3, which is now another section or block: the text it named when the translations were accepted is iv-2-4 now [renumbered-id]\n  hint: if it means that text, write #iv-2-4; it is kept as written`,
    );
    expect(r.stderr.match(/\[renumbered-id\]/g)).toHaveLength(1);
  });
});

describe('accepting a translation that follows a renumbering', () => {
  it('is refused while a heading holds its place only by the record, and settles once the translator names its section and renumbers', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': insertIv23 });
    const es = doc(source, 'es');
    const refused = runCli(['translations', 'accept', es]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `paper.es.md:${lineOf(es, '### (3) Cooperación financiera')}:1: error: this heading follows its recorded text to iv-2-4, but a new record would pair it by its place, with iv-2-3 (and 40 more after it) [translation-renumbered]\n  hint: end the heading with {#iv-2-4}, or translate first the sections paper.en.md has added before it; then accept`,
    );
    expect(refused.stderr).toContain('nothing recorded');

    // Named, the heading is settled; its number, behind, is the next thing said.
    writeFileSync(es, read(es).replace('### (3) Cooperación financiera', '### (3) Cooperación financiera {#iv-2-4}'));
    expect(runCli(['translations', 'accept', es]).stderr).toContain(`paper.es.md:${lineOf(es, '### (3) Cooperación financiera')}:1: error: this heading still prints the number iv-2-3 had, and translates iv-2-4`);

    const from = read(es).indexOf('### (3) Cooperación financiera');
    const to = read(es).indexOf('## 3. En los ámbitos');
    writeFileSync(es, read(es).slice(0, from) + read(es).slice(from, to).replace(/^### \((\d+)\) /gm, (_, n: string) => `### (${Number(n) + 1}) `) + read(es).slice(to));
    const accepted = runCli(['translations', 'accept', es]);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('recorded 94 segments of');
    const r = runCli(['check', source]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('paper.es.md:') && /\[translation-(renumbered|structure|stale)\]/.test(l))).toEqual([]);
    expect(status(source)).toEqual(LANGS.map((language) => ({ language, current: 94, stale: 0, missing: 2 })));
  });
});

/** The English without IV.2.(3), (4)-(14) renumbered (3)-(13). */
function deleteIv23(text: string): string {
  const from = text.indexOf('### (3) Financial Cooperation');
  const after = text.indexOf('### (4) Agricultural Cooperation');
  const to = text.indexOf('## 3. In the Cultural');
  return text.slice(0, from) + text.slice(after, to).replace(/^### \((\d+)\) /gm, (_, n: string) => `### (${Number(n) - 1}) `) + text.slice(to);
}

/** The English with a repair of `block` listed before its last one (iv-3-11-p1). */
const repairing = (block: string) => (text: string) => text.replace('    - block: iv-3-11-p1\n', `    - block: ${block}\n      change: Corrected "the test".\n    - block: iv-3-11-p1\n`);

describe('a section deleted in the original, the sections after it renumbered', () => {

  it('reports the translated heading and paragraph as orphans at their place, keeps the rest current, and follows a packet to the ID that is gone', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': deleteIv23, 'packets/economic-trade.yaml': (t) => t.replace('ids: [iv-2]', 'ids: [iv-2-14]') });
    expect(status(source)).toEqual(LANGS.map((language) => ({ language, current: 92, stale: 0, missing: 0 })));
    const r = runCli(['check', source]);
    expect(r.status, r.stderr).toBe(0);
    const es = doc(source, 'es');
    const heading = lineOf(es, '### (3) Cooperación financiera');
    expect(r.stderr).toContain(`paper.es.md:${heading}:1: warning: this heading was accepted as iv-2-3, translated from a text paper.en.md no longer has: "(3) Financial Cooperation" [translation-orphan]`);
    expect(r.stderr).toContain(`paper.es.md:${heading + 2}:1: warning: this block was accepted as iv-2-3-p1, translated from a text paper.en.md no longer has: "The Chinese Government supports China`);
    expect(r.stderr.match(/\[translation-orphan\]/g)).toHaveLength(4);
    expect(r.stderr).not.toContain('[translation-missing]');
    expect(r.stderr).not.toContain('[translation-structure]');
    const packetFile = path.join(source, 'packets', 'economic-trade.yaml');
    const line = lineOf(packetFile, 'ids: [iv-2-14]');
    const column = read(packetFile).split('\n')[line - 1]!.indexOf('iv-2-14') + 1;
    expect(r.stderr).toContain(
      `packets/economic-trade.yaml:${line}:${column}: warning: china-lac-policy has no section "iv-2-14" any more: paper.en.md has renumbered it iv-2-13 ("(13) Chamber-of-Commerce Cooperation"), which the packet takes [renumbered-id]`,
    );
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['build', source, '--out', out, '--format', 'html', '-q']).status).toBe(0);
    expect(read(path.join(out, 'packets/economic-trade.en+es.html'))).toContain('Cooperación entre cámaras de comercio');
  });
});

describe('an ID whose recorded text the original has deleted, now given to the text after it', () => {
  it('is kept, in a link, a packet and an editorial repair, each warned at that the text it named is gone', () => {
    const source = copySource({
      'china-lac-policy/paper.en.md': (t) => repairing('iv-2-3-p1')(deleteIv23(t)).replace('## 3. In the Cultural', 'See [the financial section](#iv-2-3).\n\n## 3. In the Cultural'),
      'packets/economic-trade.yaml': (t) => t.replace('ids: [iv-2]', 'ids: [iv-2-3]'),
    });
    const r = runCli(['check', source]);
    expect(r.status, r.stderr).toBe(0);
    const en = doc(source, 'en');
    const link = lineOf(en, 'See [the financial section]');
    expect(r.stderr).toContain(`paper.en.md:${link}:5: warning: the link points at #iv-2-3, which is now another section or block: the text it named when the translations were accepted is no longer in paper.en.md [renumbered-id]`);
    const repair = lineOf(en, 'block: iv-2-3-p1');
    expect(r.stderr).toContain(`paper.en.md:${repair}:${read(en).split('\n')[repair - 1]!.indexOf('iv-2-3-p1') + 1}: warning: the editorial repair names the block "iv-2-3-p1", which is now another text: the text iv-2-3-p1 named when the translations were accepted is no longer in paper.en.md [renumbered-id]`);
    const packetFile = path.join(source, 'packets', 'economic-trade.yaml');
    const line = lineOf(packetFile, 'ids: [iv-2-3]');
    expect(r.stderr).toContain(`packets/economic-trade.yaml:${line}:${read(packetFile).split('\n')[line - 1]!.indexOf('iv-2-3') + 1}: warning: the section "iv-2-3" of china-lac-policy is now "(3) Agricultural Cooperation": the section "iv-2-3" named when its translations were accepted is no longer in paper.en.md [renumbered-id]`);
  });
});

describe('paragraphs deleted and moved in the original', () => {
  it('reports a translated paragraph whose original was deleted as an orphan at its line and column, the paragraphs after it current', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': (t) => t.replace(/^During the twenty years or so after the founding.*\n\n/m, '') });
    expect(status(source)).toEqual(LANGS.map((language) => ({ language, current: 93, stale: 0, missing: 0 })));
    const r = runCli(['check', source]);
    expect(r.status, r.stderr).toBe(0);
    const es = doc(source, 'es');
    expect(r.stderr).toContain(`paper.es.md:${lineOf(es, 'Durante los aproximadamente veinte años')}:1: warning: this block was accepted as ii-p2, translated from a text paper.en.md no longer has: "During the twenty years or so after the founding of New Chin..." [translation-orphan]`);
    expect(r.stderr).toContain('hint: remove it if the original has dropped the text, or translate what the original says now in its place; then run: editions translations accept');
    expect(r.stderr.match(/\[translation-orphan\]/g)).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\[translation-(missing|stale|structure)\]/);
  });

  it('pairs a paragraph the original moved to another section with its translation where it stands, warning that it is to be moved', async () => {
    const moved = (t: string) => {
      const paragraph = t.split('\n').find((l) => l.startsWith('Friendly cooperation between China'))!;
      return t.replace(`${paragraph}\n\n`, '').replace('# II. China', `${paragraph}\n\n# II. China`);
    };
    const source = copySource({ 'china-lac-policy/paper.en.md': moved });
    expect(status(source)).toEqual(LANGS.map((language) => ({ language, current: 94, stale: 0, missing: 0 })));
    const r = runCli(['check', source]);
    expect(r.status, r.stderr).toBe(0);
    const es = doc(source, 'es');
    const at = lineOf(es, 'La cooperación amistosa entre China');
    expect(r.stderr).toContain(`paper.es.md:${at}:1: warning: this block translates i-p3: paper.en.md has moved its text from section ii to section i [translation-renumbered]`);
    expect(r.stderr).not.toMatch(/\[translation-(missing|stale|structure|orphan)\]/);
    const models = await loadDocuments([source], new Report());
    const en = models.find((m) => m.lang === 'en')!;
    const esModel = models.find((m) => m.lang === 'es')!;
    expect(toString(en.blocks.find((b) => b.id === 'i-p3')!.node)).toMatch(/^Friendly cooperation/);
    expect(esModel.blocks.find((b) => b.id === 'i-p3')!.node.position!.start.line).toBe(at);
    expect(esModel.blocks.find((b) => b.id === 'i-p3')!.sectionId).toBe('i');
    expect(esModel.blocks.filter((b) => b.sectionId === 'ii').map((b) => b.id)).toEqual(['ii-p1', 'ii-p2']);
  });
});

describe("an editorial repair of the original naming a renumbered block", () => {
  /** Where the repair's `block:` value is: line:col. */
  const at = (file: string, block: string) => {
    const line = lineOf(file, `- block: ${block}`);
    return `${line}:${read(file).split('\n')[line - 1]!.indexOf(block) + 1}`;
  };
  const colophonItem = (out: string, block: string) => read(path.join(out, 'china-lac-policy/china-lac-policy.en.html')).match(new RegExp(`<li><a href="#${block}">[^<]*</a>: Corrected “the test”\\.</li>`))?.[0];

  it('follows an ID a deletion took away to the block its text is now, and warns at the repair with the new ID', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': (t) => repairing('iv-2-14-p1')(deleteIv23(t)) });
    const en = doc(source, 'en');
    const out = path.join(tempDir(), 'dist');
    const r = runCli(['build', source, '--out', out, '--format', 'html']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `paper.en.md:${at(en, 'iv-2-14-p1')}: warning: paper.en.md has no block "iv-2-14-p1" any more: it has renumbered it iv-2-13-p1 (IV.2.(13), paragraph 1), which the colophon names as repaired [renumbered-id]\n  hint: write block: iv-2-13-p1 (the renumbering is followed only while the translations' records remember it)`,
    );
    expect(r.stderr.match(/\[renumbered-id\]/g)).toHaveLength(1);
    expect(r.stderr).not.toContain('[editorial-repair]');
    // The colophon names the block where it stands: its section (cited with word joiners) and paragraph.
    expect(colophonItem(out, 'iv-2-13-p1')).toBe('<li><a href="#iv-2-13-p1">IV.\u20602.\u2060(13), paragraph 1</a>: Corrected “the test”.</li>');
  });

  it('still refuses an ID that stands nowhere and that the records do not move', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': (t) => repairing('iv-2-14-p2')(deleteIv23(t)) });
    const r = runCli(['check', source]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`paper.en.md:${at(doc(source, 'en'), 'iv-2-14-p2')}: error: the editorial repair names the block "iv-2-14-p2", which does not exist [editorial-repair]`);
    expect(r.stderr).not.toContain('[renumbered-id]');
  });

  it('keeps an ID an insertion gave to another text, and warns at the repair with the ID of the text it named', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': (t) => repairing('iv-2-3-p1')(insertIv23(t)) });
    const en = doc(source, 'en');
    const out = path.join(tempDir(), 'dist');
    const r = runCli(['build', source, '--out', out, '--format', 'html']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `paper.en.md:${at(en, 'iv-2-3-p1')}: warning: the editorial repair names the block "iv-2-3-p1", which is now another text: paper.en.md has been renumbered since its translations were accepted, and the text iv-2-3-p1 named then is now iv-2-4-p1 (IV.2.(4), paragraph 1) [renumbered-id]\n  hint: if the repair means that text, write block: iv-2-4-p1; it is kept as written (the warning ends when the translations are accepted again)`,
    );
    expect(r.stderr.match(/\[renumbered-id\]/g)).toHaveLength(1);
    // As written: the new section's paragraph.
    expect(colophonItem(out, 'iv-2-3-p1')).toBe('<li><a href="#iv-2-3-p1">IV.\u20602.\u2060(3), paragraph 1</a>: Corrected “the test”.</li>');
  });
});

describe('an agency translating the section the original inserted, through XLIFF', () => {
  const xliff = (source: string, name: string) => path.join(path.dirname(source), 'translations', 'china-lac-policy', name);
  const translations = (source: string, args: string[]) => runCli(['translations', ...args], { cwd: path.dirname(source) });
  const NEW = [
    ['(3) New Cooperation', '(3) Nueva cooperación'],
    ['The two sides will open a new field of cooperation.', 'Las dos partes abrirán un nuevo ámbito de cooperación.'],
  ] as const;
  const fill = (text: string) => NEW.reduce((t, [en, es]) => t.replace(`<source>${en}</source>`, `<source>${en}</source>\n        <target>${es}</target>`), text);

  it('inserts the new heading naming its section, and leaves accepting until the headings after it are renumbered', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': insertIv23 });
    const es = doc(source, 'es');
    const exported = translations(source, ['export', '--to', 'xliff2', '--lang', 'es', '--only', 'missing']);
    expect(exported.stdout).toContain('wrote 2 units of es');
    const file = xliff(source, 'paper.es.xliff2.xlf');
    writeFileSync(file, fill(read(file)));
    const imported = translations(source, ['import', file, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)[0]).toMatchObject({ changed: ['iv-2-3', 'iv-2-3-p1'], accepted: [] });
    expect(read(es)).toContain('### (3) Nueva cooperación {#iv-2-3}\n\nLas dos partes abrirán un nuevo ámbito de cooperación.\n\n### (3) Cooperación financiera\n');
    expect(imported.stderr).toContain(`paper.es.md:${lineOf(es, '### (3) Cooperación financiera')}:1: warning: imported, but not accepted: this heading still prints the number iv-2-3 had, and translates iv-2-4`);
    // Pairing follows the record: the new section pairs by its name, the rest by their texts.
    expect(status(source)).toEqual([
      { language: 'es', current: 94, stale: 2, missing: 0 },
      { language: 'zh-Hans', current: 94, stale: 0, missing: 2 },
    ]);
    // The translator renumbers the headings after it, and accepts.
    const text = read(es);
    const from = text.indexOf('### (3) Cooperación financiera');
    const to = text.indexOf('\n## ', from);
    writeFileSync(es, text.slice(0, from) + text.slice(from, to).replace(/^### \((\d+)\) /gm, (_, n: string) => `### (${Number(n) + 1}) `) + text.slice(to));
    const accepted = translations(source, ['accept', es]);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(status(source)).toEqual([
      { language: 'es', current: 96, stale: 0, missing: 0 },
      { language: 'zh-Hans', current: 94, stale: 0, missing: 2 },
    ]);
  });

  it('accepts at once when the targets renumber the headings after it too', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': insertIv23 });
    translations(source, ['export', '--to', 'xliff', '--lang', 'es']);
    const file = xliff(source, 'paper.es.xlf');
    let text = fill(read(file).replace(/(<source>[^<]*<\/source>\s*)<target state="new"\/>/g, '$1').replace(/(<source>[^<]*<\/source>\s*)<target state="new"><\/target>/g, '$1'));
    // In 1.2 the translator writes into <target>: the renumbered headings' targets say (4)-(15).
    for (let n = 4; n <= 15; n++) text = text.replace(new RegExp(`(<trans-unit id="iv-2-${n}"[^>]*>[\\s\\S]*?<target[^>]*>)\\((\\d+)\\)`), (_m, open: string, k: string) => `${open}(${Number(k) + 1})`);
    writeFileSync(file, text);
    const imported = translations(source, ['import', file, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)[0].accepted).toHaveLength(14);
    expect(status(source)).toEqual([
      { language: 'es', current: 96, stale: 0, missing: 0 },
      { language: 'zh-Hans', current: 94, stale: 0, missing: 2 },
    ]);
    const checked = runCli(['check', source]);
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stderr).not.toContain('paper.es.md');
  });
});
