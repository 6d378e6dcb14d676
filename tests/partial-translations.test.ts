/**
 * Partial translations: sections and the end of sections left untranslated are reported once per
 * gap, counted, left out of the record, and shown flagged beside the original in the bilingual
 * edition; a heading after a skipped section names the section it translates with {#id}.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySource, hasPoppler, hasQpdf, lineOf, read, ROOT, run, runCli, tempDir } from './helpers.js';

const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'corpus', 'partial-translation');
const EN = path.join(FIXTURE, 'paper.en.md');
const ES = path.join(FIXTURE, 'paper.es.md');
const REL_ES = 'tests/fixtures/corpus/partial-translation/paper.es.md';
/** The segments paper.es.md translates; the other 13 of the 22 are missing. */
const TRANSLATED = ['foreword', 'foreword-p1', 'i', 'i-p1', 'i-p2', 'iii', 'iii-p1', 'iii-1', 'iii-1-p1'];
const MISSING = ['ii', 'ii-p1', 'ii-1', 'ii-1-p1', 'ii-2', 'ii-2-p1', 'iii-p2', 'iii-p3', 'iii-p4', 'iv', 'iv-p1', 'v', 'v-p1'];
const FLAG = 'Aún sin traducir.';

/** A copy of the fixture's folder with `edit` made to its Spanish text; returns the folder. */
function copyFixture(edit: (text: string) => string = (t) => t): string {
  const dir = path.join(tempDir(), 'partial-translation');
  cpSync(FIXTURE, dir, { recursive: true });
  const es = path.join(dir, 'paper.es.md');
  writeFileSync(es, edit(read(es)));
  return dir;
}

/** The end (line:col) of the first line holding `text`, where a gap after it is reported. */
function endOf(file: string, text: string): string {
  const line = lineOf(file, text);
  return `${line}:${read(file).split('\n')[line - 1]!.length + 1}`;
}

describe('check, status and accept', () => {
  it('warns once per untranslated run, where it would go in the translation and where the original has it', () => {
    const r = runCli(['check', FIXTURE]);
    expect(r.status, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes(': warning: '));
    expect(warnings).toEqual([
      `${REL_ES}:${endOf(ES, 'Tiene un segundo párrafo')}: warning: ii to ii-2-p1 are not translated: 6 segments (original at paper.en.md:${lineOf(EN, '# II. Background')}:1 to ${endOf(EN, 'Nor is its second subsection.')}) [translation-missing]`,
      `${REL_ES}:${endOf(ES, 'El primer párrafo de la tercera')}: warning: iii-p2 to iii-p4 are not translated: 3 segments (original at paper.en.md:${lineOf(EN, 'Its second paragraph')}:1 to ${endOf(EN, '- nor this one.')}) [translation-missing]`,
      `${REL_ES}:${endOf(ES, 'El apartado que sigue')}: warning: iv to v-p1 are not translated: 4 segments (original at paper.en.md:${lineOf(EN, '# IV. Follow-up')}:1 to ${endOf(EN, 'And it leaves out the fifth')}) [translation-missing]`,
    ]);
    expect(r.stderr).toContain('3 warnings');
  });

  it('places a gap at the very start where the first translated text stands', () => {
    const dir = copyFixture((t) => t.replace(/# Prólogo\n\n.*\n\n# I\. Alcance/, '# I. Alcance {#i}'));
    const es = path.join(dir, 'paper.es.md');
    const r = runCli(['check', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `paper.es.md:${lineOf(es, '# I. Alcance')}:1: warning: foreword to foreword-p1 are not translated: 2 segments (original at paper.en.md:${lineOf(EN, '# Foreword')}:1 to ${endOf(EN, 'This paper is the test')}) [translation-missing]\n  hint: translate them here, block for block with the original (while they are not, the heading after the gap says which section it translates: {#i} at its end)`,
    );
    expect(r.stderr).toContain('4 warnings');
  });

  it('takes a translated heading without its text as a gap, not as an empty section', () => {
    const dir = copyFixture((t) => t.replace(/\n\nEl apartado que sigue.*\n/, '\n'));
    const r = runCli(['check', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`paper.es.md:${endOf(ES, '## 1. Comercio')}: warning: iii-1-p1 to v-p1 are not translated: 5 segments`);
    expect(r.stderr).not.toContain('[empty-section]');
  });

  it('makes each run an error under --strict', () => {
    const r = runCli(['check', '--strict', FIXTURE]);
    expect(r.status).toBe(1);
    expect(r.stderr.match(/: error: .* \[translation-missing\]/g)).toHaveLength(3);
  });

  it('counts the untranslated segments as missing', () => {
    const r = runCli(['translations', 'status', '--json', FIXTURE]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ file: REL_ES, language: 'es', current: 9, stale: 0, missing: 13, total: 22, percent: 40.9 }]);
  });

  it('records the segments that are translated, and only those', () => {
    const dir = copyFixture();
    const record = path.join(dir, 'paper.es.sources.yaml');
    rmSync(record);
    const r = runCli(['translations', 'accept', path.join(dir, 'paper.es.md')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('recorded 9 segments of');
    const segments = (parse(read(record)) as { segments: Record<string, string> }).segments;
    expect(Object.keys(segments)).toEqual(TRANSLATED);
    expect(read(record)).toBe(read(path.join(FIXTURE, 'paper.es.sources.yaml')));
  });

  it('asks for newly translated segments to be accepted, and then records them too', () => {
    const dir = copyFixture((t) => t.replace('# III. Medidas {#iii}', '# II. Antecedentes\n\nLa segunda sección ya está traducida.\n\n# III. Medidas {#iii}'));
    const es = path.join(dir, 'paper.es.md');
    const r = runCli(['check', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`paper.es.md:${lineOf(es, '# II. Antecedentes')}:1: warning: ii has not been accepted yet (original at paper.en.md:${lineOf(EN, '# II. Background')}:1) [translation-stale]`);
    expect(r.stderr).toContain(`paper.es.md:${lineOf(es, 'La segunda sección')}:1: warning: ii-p1 has not been accepted yet`);
    expect(r.stderr).toContain(`warning: ii-1 to ii-2-p1 are not translated: 4 segments`);
    expect(r.stderr).toContain('5 warnings');
    expect(runCli(['translations', 'accept', es]).stdout).toContain('recorded 11 segments of');
    expect(runCli(['check', dir]).stderr).toContain('3 warnings');
  });
});

describe('placeholders', () => {
  /** Section III with its paragraph held by a placeholder, its first list item translated and its second held. */
  const held = (t: string) =>
    t.replace('El primer párrafo de la tercera sección está traducido.\n', 'El primer párrafo de la tercera sección está traducido.\n\n{.untranslated}\n\n- Ni este elemento,\n- {.untranslated}\n');

  it('hold the place of a block not translated: the blocks after it keep their pairing, and each is a gap at its place', () => {
    const dir = copyFixture(held);
    const es = path.join(dir, 'paper.es.md');
    const r = runCli(['check', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`paper.es.md:${lineOf(es, '{.untranslated}')}:1: warning: iii-p2 is not translated (original at paper.en.md:${lineOf(EN, 'Its second paragraph')}:1) [translation-missing]`);
    expect(r.stderr).toContain(`paper.es.md:${lineOf(es, '- Ni este elemento')}:3: warning: iii-p3 has not been accepted yet`);
    expect(r.stderr).toContain(`paper.es.md:${lineOf(es, '- {.untranslated}')}:3: warning: iii-p4 is not translated (original at paper.en.md:${lineOf(EN, '- nor this one.')}:3) [translation-missing]`);

    const out = path.join(tempDir(), 'dist');
    expect(runCli(['build', dir, '--out', out, '-f', 'html', '-q']).status).toBe(0);
    const html = read(path.join(out, 'partial-translation/partial-translation.en+es.html'));
    const flag = `<p class="flag">${FLAG}</p>`;
    expect(html).toMatch(new RegExp(`<div class="pair" id="iii-p2"><div class="side" lang="en" xml:lang="en"><p>Its second paragraph is not translated yet\\.</p></div><div class="side" lang="es" xml:lang="es">${flag}</div>`));
    expect(html).toContain('<div class="side" lang="es" xml:lang="es"><ul><li><p>Ni este elemento,</p></li></ul>');
    expect(html).toMatch(new RegExp(`<div class="pair" id="iii-p4"><div class="side" lang="en" xml:lang="en"><ul><li><p>nor this one\\.</p></li></ul></div><div class="side" lang="es" xml:lang="es">${flag}</div>`));
    expect(html).not.toContain('{.untranslated}');
  });

  it('are errors where the original has no block to hold', () => {
    const dir = copyFixture((t) => `${held(t)}\n{.untranslated}\n`);
    const es = path.join(dir, 'paper.es.md');
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`paper.es.md:${read(es).split('\n').lastIndexOf('{.untranslated}') + 1}:1: error: this placeholder stands for iii-1-p2, but paper.en.md has 1 blocks in section iii-1 [translation-structure]`);
  });
});

describe('a build of the partial translation', () => {
  let out: string;
  let build: ReturnType<typeof runCli>;
  beforeAll(() => {
    out = path.join(tempDir(), 'dist');
    build = runCli(['build', FIXTURE, '--out', out, '--format', 'html,pdf,docx', '-q']);
  });
  const file = (name: string) => path.join(out, 'partial-translation', name);

  it('succeeds, and leaves out the Spanish edition with a warning saying why', () => {
    expect(build.status, build.stderr).toBe(0);
    expect(build.stderr).toContain(`${REL_ES}: warning: the es edition is not built: 13 of 22 segments are not translated [translation-incomplete]`);
    const manifest = JSON.parse(read(path.join(out, 'manifest.json'))) as { outputs: { path: string }[] };
    expect(manifest.outputs.map((o) => o.path).sort()).toEqual(
      ['en+es.docx', 'en+es.html', 'en+es.pdf', 'en.docx', 'en.html', 'en.pdf'].map((e) => `partial-translation/partial-translation.${e}`),
    );
  });

  it('flags every untranslated block and heading beside its original in the bilingual HTML', () => {
    const html = read(file('partial-translation.en+es.html'));
    const flagged = `<div class="side" lang="es" xml:lang="es"><p class="flag">${FLAG}</p></div>`;
    for (const id of MISSING) {
      const pair = id.includes('-p')
        ? new RegExp(`<div class="pair" id="${id}"><div class="side" lang="en" xml:lang="en">(?:(?!</div>).)+</div>${flagged}`, 's')
        : new RegExp(`<section id="${id}"><div class="pair heading-pair"><div class="side" lang="en" xml:lang="en"><h\\d>[^<]+</h\\d></div>${flagged}`);
      expect(html, id).toMatch(pair);
    }
    expect(html.split(`<p class="flag">${FLAG}</p>`)).toHaveLength(MISSING.length + 1);
    // The {#iii} attribute names the section; it is not part of the heading.
    expect(html).toContain('<h2>III. Medidas</h2>');
    expect(html).not.toContain('{#');
  });

  it('flags them in the DOCX', () => {
    const xml = new TextDecoder().decode(unzipSync(readFileSync(file('partial-translation.en+es.docx')))['word/document.xml']);
    expect(xml.split(FLAG)).toHaveLength(MISSING.length + 1);
    expect(xml).not.toContain('{#');
  });

  it.skipIf(!hasPoppler())('flags them in the PDF, beside the original', () => {
    const text = run('pdftotext', ['-layout', file('partial-translation.en+es.pdf'), '-']);
    expect(text.split(FLAG)).toHaveLength(MISSING.length + 1);
    expect(text).toMatch(new RegExp(`II\\. Background +${FLAG}`));
    expect(text).toMatch(new RegExp(`Its second paragraph is not translated yet\\. +${FLAG}`));
    expect(text).not.toContain('{#');
  });

  it.skipIf(!hasQpdf())('bookmarks an untranslated section by its original title alone', () => {
    const outlines = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', file('partial-translation.en+es.pdf')])).outlines as { title: string; kids: unknown[] }[];
    const titles = outlines.map((o) => o.title);
    expect(titles).toContain('II. Background');
    expect(titles.filter((t) => t.endsWith(' / '))).toEqual([]);
    expect(titles.filter((t) => t.includes(' / ')).length).toBeGreaterThan(0);
  });

  it.each(['html', 'docx', 'pdf'])('keeps every untranslated block, flagged, when the config puts the translation first (%s)', (format) => {
    const project = tempDir();
    writeFileSync(path.join(project, 'editions.config.yaml'), `sources: [${JSON.stringify(FIXTURE)}]\nout: public\nformats: [${format}]\nbilingual:\n  - languages: [es, en]\n`);
    const r = runCli(['build', '-q'], { cwd: project });
    expect(r.status, r.stderr).toBe(0);
    const built = path.join(project, `public/partial-translation/partial-translation.es+en.${format}`);
    if (format === 'html') {
      const html = read(built);
      const flagged = `<div class="side" lang="es" xml:lang="es"><p class="flag">${FLAG}</p></div><div class="side" lang="en" xml:lang="en">`;
      for (const id of MISSING.filter((m) => m.includes('-p'))) expect(html, id).toContain(`<div class="pair" id="${id}">${flagged}`);
      expect(html.split(`<p class="flag">${FLAG}</p>`)).toHaveLength(MISSING.length + 1);
    } else if (format === 'docx') {
      const xml = new TextDecoder().decode(unzipSync(readFileSync(built))['word/document.xml']);
      expect(xml.split(FLAG)).toHaveLength(MISSING.length + 1);
      expect(xml).toContain('Its second paragraph is not translated yet.');
    } else if (hasPoppler()) {
      const text = run('pdftotext', ['-layout', built, '-']);
      expect(text.split(FLAG)).toHaveLength(MISSING.length + 1);
      expect(text).toMatch(new RegExp(`${FLAG} +Its second paragraph is not translated yet\\.`));
    }
  });

  it('is refused under --strict, and nothing is written', () => {
    const strictOut = path.join(tempDir(), 'dist');
    const r = runCli(['build', '--strict', FIXTURE, '--out', strictOut, '--format', 'html', '-q']);
    expect(r.status).toBe(1);
    expect(r.stderr.match(/: error: .* \[translation-missing\]/g)).toHaveLength(3);
    expect(existsSync(strictOut)).toBe(false);
  });
});

describe('structural errors in a partial translation', () => {
  /** The errors of `check` on the fixture with `edit` made to the Spanish, each as "line:col: message [rule]". */
  function errors(edit: (text: string) => string): string[] {
    const dir = copyFixture(edit);
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    return r.stderr
      .split('\n')
      .filter((l) => l.includes(': error: '))
      .map((l) => l.replace(/^.*paper\.es\.md:/, ''));
  }
  const line = (text: string) => lineOf(ES, text);

  it('reports a heading at the wrong level', () => {
    expect(errors((t) => t.replace('## 1. Comercio', '# 1. Comercio'))).toEqual([
      `${line('## 1. Comercio')}:1: error: heading level 1 where paper.en.md has level 2 (section iii-1, "1. Trade") [translation-structure]`,
    ]);
  });

  it('reports a block of the wrong kind, and an extra block', () => {
    const edited = (t: string) => t.replace('El primer párrafo', '- El primer párrafo').replace('Tiene un segundo párrafo, también traducido.', 'Tiene un segundo párrafo, también traducido.\n\nY un tercero que el original no tiene.');
    expect(errors(edited)).toEqual([
      `${line('Tiene un segundo párrafo') + 2}:1: error: block i-p3 has no counterpart: paper.en.md has 2 blocks in section i [translation-structure]`,
      `${line('El primer párrafo') + 2}:3: error: block iii-p1 is a list item paragraph where paper.en.md has a paragraph [translation-structure]`,
    ]);
  });

  it('reports a heading after a skipped section that does not say which section it translates', () => {
    const r = runCli(['check', copyFixture((t) => t.replace(' {#iii}', ''))]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`paper.es.md:${line('# III. Medidas')}:1: error: the heading is numbered III. but translates section ii ("II. Background") [translation-structure]\n  hint: if it translates III, say so: end the heading with {#iii}`);
  });

  it('reports an {#id} that the original does not have, or that goes back', () => {
    expect(errors((t) => t.replace('{#iii}', '{#iiii}'))).toEqual([
      `${line('# III. Medidas')}:1: error: the heading names section "iiii", which paper.en.md does not have [translation-structure]`,
    ]);
    expect(errors((t) => t.replace('## 1. Comercio', '## 1. Comercio {#i}'))).toEqual([
      `${line('## 1. Comercio')}:1: error: the heading names section i, but the heading before it translates iii, which comes later in paper.en.md [translation-structure]`,
    ]);
    expect(errors((t) => t.replace('## 1. Comercio', '## 1. Comercio {#iii}'))).toEqual([
      `${line('## 1. Comercio')}:1: error: the heading names section iii, but the heading before it translates it already [translation-structure]`,
    ]);
  });

  it('reports a heading with no counterpart after the last section of the original', () => {
    const annexes = '\n# Anexo {#v}\n\nUn anexo.\n\n# Otro anexo\n\nOtro más.\n';
    const last = read(ES).split('\n').length + annexes.split('\n').indexOf('# Otro anexo');
    expect(errors((t) => t + annexes)).toEqual([
      `${last}:1: error: this heading has no counterpart in paper.en.md: the heading before it translates its last section [translation-structure]`,
    ]);
  });
});

describe('a briefing packet drawing on a partial translation', () => {
  it('is refused at its line when the translation lacks a chosen section, not failed inside the build', () => {
    // The Spanish paper without IV.2, its IV.3 naming its section.
    const source = copySource({
      'china-lac-policy/paper.es.md': (t) =>
        t.slice(0, t.indexOf('## 2. En el ámbito económico')) + t.slice(t.indexOf('## 3. En los ámbitos')).replace('## 3. En los ámbitos cultural y social', '## 3. En los ámbitos cultural y social {#iv-3}'),
    });
    const packet = path.join(source, 'packets', 'economic-trade.yaml');
    const line = lineOf(packet, 'ids: [iv-2]');
    for (const command of ['check', 'build']) {
      const r = runCli([command, source, ...(command === 'build' ? ['--out', path.join(tempDir(), 'dist'), '-f', 'html', '-q'] : [])]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(`economic-trade.yaml:${line}:${read(packet).split('\n')[line - 1]!.indexOf('iv-2') + 1}: error: the es translation of china-lac-policy does not translate section "iv-2" yet [packet-content]`);
      expect(r.stderr).not.toContain('internal error');
    }
  });

  it('is refused when it sets the translation first and the translation lacks text of a chosen section, which would be left out', () => {
    // The Chinese paper without the paragraph of V, which the political packet chooses.
    const withoutV1 = (t: string) => `${t.slice(0, t.indexOf('中国政府赞赏拉美和加勒比地区和次地区组织')).trimEnd()}\n`;
    const zhFirst = (t: string) => t.replace('languages: [en, zh-Hans]', 'languages: [zh-Hans, en]');
    const packet = (source: string) => path.join(source, 'packets', 'political.yaml');
    const flagged = copySource({ 'china-lac-policy/paper.zh-Hans.md': withoutV1 });
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['build', flagged, '--out', out, '-f', 'html', '-q']).status).toBe(0);
    expect(read(path.join(out, 'packets/political.en+zh-Hans.html'))).toMatch(/<div class="pair" id="v-p1">.*?<p class="flag">尚未翻译。<\/p>/);

    const refused = copySource({ 'china-lac-policy/paper.zh-Hans.md': withoutV1, 'packets/political.yaml': zhFirst });
    const r = runCli(['check', refused]);
    expect(r.status).toBe(1);
    const line = lineOf(packet(refused), 'ids: [iii, iv-1, v]');
    expect(r.stderr).toContain(
      `political.yaml:${line}:${read(packet(refused)).split('\n')[line - 1]!.indexOf(' v]') + 2}: error: with zh-Hans first, the packet would leave out what paper.zh-Hans.md does not translate yet of section "v": v-p1 [packet-content]`,
    );
  });
});
