import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySource, folderHashes, lineOf, PAPER, read, ROOT, runCli, tempDir } from './helpers.js';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');



/** Asserts a clean failure: exit 1 (2 for a command line not understood), the expected message, and no stack trace. */
function expectFailure(r: ReturnType<typeof runCli>, message: string | RegExp, status = 1) {
  expect(r.status, r.stderr).toBe(status);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('editions build', () => {
  let out: string;
  let first: ReturnType<typeof runCli>;
  beforeAll(() => {
    out = path.join(tempDir(), 'dist');
    first = runCli(['build', '--out', out]);
  });

  it('builds the HTML, EPUB, PDF and DOCX editions of the paper and its translations, listed in the manifest', () => {
    expect(first.status, first.stderr).toBe(0);
    const manifest = JSON.parse(read(path.join(out, 'manifest.json')));
    expect(manifest.generator).toBe('policy-editions');
    const print = ['en', 'es', 'zh-Hans'].flatMap((lang) =>
      ['docx', 'epub', 'html', 'pdf'].map((format) => ({
        path: `china-lac-policy/china-lac-policy.${lang}.${format}`,
        document: 'china-lac-policy',
        edition: 'print',
        format,
        languages: [lang],
      })),
    );
    const bilingual = ['es', 'zh-Hans'].flatMap((lang) =>
      ['docx', 'epub', 'html', 'pdf'].map((format) => ({
        path: `china-lac-policy/china-lac-policy.en+${lang}.${format}`,
        document: 'china-lac-policy',
        edition: 'bilingual',
        format,
        languages: ['en', lang],
      })),
    );
    const briefing = [
      ['economic-trade', 'es'],
      ['political', 'zh-Hans'],
    ].flatMap(([id, lang]) =>
      ['docx', 'epub', 'html', 'pdf'].map((format) => ({
        path: `packets/${id}.en+${lang}.${format}`,
        document: id,
        edition: 'briefing',
        format,
        languages: ['en', lang],
      })),
    );
    const expected = [...print.slice(0, 4), ...bilingual, ...print.slice(4), ...briefing];
    expect(manifest.outputs.map(({ bytes: _b, sha256: _s, ...rest }: Record<string, unknown>) => rest)).toEqual(expected);
    for (const o of manifest.outputs) {
      const file = path.join(out, o.path);
      expect(o.bytes).toBe(readFileSync(file).byteLength);
      expect(o.sha256).toBe(sha(file));
    }
  });

  it('prints one line per output with its time, and a summary', () => {
    const lines = first.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(29);
    expect(lines[0]).toMatch(/^ {2}html {2}en +\d+\.\d kB +\d+ ms {2}china-lac-policy\/china-lac-policy\.en\.html$/);
    expect(lines[2]).toMatch(/^ {2}pdf {3}en +\d+\.\d kB +\d+ ms {2}china-lac-policy\/china-lac-policy\.en\.pdf$/);
    expect(lines[11]).toMatch(/^ {2}docx {2}zh-Hans +\d+\.\d kB +\d+ ms {2}china-lac-policy\/china-lac-policy\.zh-Hans\.docx$/);
    expect(lines[19]).toMatch(/^ {2}docx {2}en\+zh-Hans +\d+\.\d kB +\d+ ms {2}china-lac-policy\/china-lac-policy\.en\+zh-Hans\.docx$/);
    expect(lines[28]).toMatch(/^built 28 outputs of 1 document and 2 briefing packets in \d+\.\d\d s into /);
  });

  it('gives the same bytes on a second build, in another time zone', () => {
    const again = path.join(tempDir(), 'dist');
    expect(runCli(['build', '--out', again, '-q'], { env: { TZ: 'Pacific/Kiritimati' } }).status).toBe(0);
    expect(folderHashes(again)).toEqual(folderHashes(out));
  });

  it('takes every embedded date from SOURCE_DATE_EPOCH when it is set', () => {
    const dated = path.join(tempDir(), 'dist');
    const r = runCli(['build', '--out', dated, '-q'], { env: { SOURCE_DATE_EPOCH: '1767225600' } });
    expect(r.status, r.stderr).toBe(0);
    const html = read(path.join(dated, 'china-lac-policy/china-lac-policy.en.html'));
    expect(html).toContain('<dt>Built on</dt>\n<dd><time datetime="2026-01-01">1 January 2026</time></dd>');
    const epub = readFileSync(path.join(dated, 'china-lac-policy/china-lac-policy.en.epub'));
    const opf = new TextDecoder().decode(unzipSync(epub)['EPUB/package.opf']);
    expect(opf).toContain('<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>');
    // The zip's DOS date of the first entry: 2026-01-01 00:00:00.
    expect(epub.readUInt16LE(12)).toBe(((2026 - 1980) << 9) | (1 << 5) | 1);
    expect(epub.readUInt16LE(10)).toBe(0);
  });

  it('rejects a SOURCE_DATE_EPOCH that is not a number', () => {
    expectFailure(runCli(['build', '--out', path.join(tempDir(), 'd')], { env: { SOURCE_DATE_EPOCH: 'yesterday' } }), 'SOURCE_DATE_EPOCH is "yesterday"');
  });

  it('builds a document folder that lives outside the repository, from another folder', () => {
    const elsewhere = tempDir();
    const doc = path.join(copySource(), 'china-lac-policy');
    const r = runCli(['build', doc, '--out', 'site', '-q'], { cwd: elsewhere });
    expect(r.status, r.stderr).toBe(0);
    expect(sha(path.join(elsewhere, 'site/china-lac-policy/china-lac-policy.en.html'))).toBe(
      sha(path.join(out, 'china-lac-policy/china-lac-policy.en.html')),
    );
  });

  it('builds only the formats asked for', () => {
    const only = path.join(tempDir(), 'dist');
    expect(runCli(['build', '--out', only, '--format', 'html', '-q']).status).toBe(0);
    expect(JSON.parse(read(path.join(only, 'manifest.json'))).outputs.map((o: { format: string }) => o.format)).toEqual(Array(7).fill('html'));
  });

  it('reads out, formats and template folders from editions.config.yaml', () => {
    const project = tempDir();
    mkdirSync(path.join(project, 'my-templates/html/partials'), { recursive: true });
    writeFileSync(path.join(project, 'my-templates/html/partials/title-page.hbs'), '<header id="title-page"><h1>{{title}} (house style)</h1></header>\n');
    writeFileSync(
      path.join(project, 'editions.config.yaml'),
      `sources: [${JSON.stringify(path.join(ROOT, 'source'))}]\nout: public\ntemplates: my-templates\nformats: [html]\n`,
    );
    const r = runCli(['build', '-q'], { cwd: project });
    expect(r.status, r.stderr).toBe(0);
    expect(read(path.join(project, 'public/china-lac-policy/china-lac-policy.en.html'))).toContain(
      "<h1>China’s Policy Paper on Latin America and the Caribbean (house style)</h1>",
    );
  });
});

describe('editions check', () => {
  it('passes on the repository', () => {
    const r = runCli(['check']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('checked 3 source files and 2 briefing packets: no errors\n');
  });

  it('fails on a copy whose IV.2.(3) was renumbered (4), naming the line', () => {
    const source = copySource();
    const file = path.join(source, 'china-lac-policy/paper.en.md');
    writeFileSync(file, read(file).replace('### (3) Financial Cooperation', '### (4) Financial Cooperation'));
    const line = lineOf(file, '### (4) Financial Cooperation');
    const r = runCli(['check', source]);
    expectFailure(r, `china-lac-policy/paper.en.md:${line}:1: error: (4) follows (2); expected (3) [numbering-sequence]`);
    expect(r.stderr).toContain('hint: a heading is missing or misnumbered: renumber this one (3)');
  });

  it('reports a heading that skips a level, and sets it one level below its parent', () => {
    const source = copySource();
    const file = path.join(source, 'china-lac-policy/paper.en.md');
    // Right under "## 2. In the Economic Field": level 3 is skipped.
    writeFileSync(file, read(file).replace('### (1) Trade', '#### (1) Trade'));
    const line = lineOf(file, '#### (1) Trade');
    const r = runCli(['check', source]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`paper.en.md:${line}:1: warning: heading level 4 follows level 2; it is set as level 3 [heading-level]`);
  });

  it('reports an unknown and a malformed front-matter key with their positions', () => {
    const source = copySource();
    const file = path.join(source, 'china-lac-policy/paper.en.md');
    writeFileSync(file, read(file).replace('issued: 2008-11-05', 'issued: 5 November 2008\nissuer_url: x'));
    const r = runCli(['check', source]);
    expectFailure(r, 'paper.en.md:4:9: error: front matter key "issued": expected a date written YYYY-MM-DD [front-matter-schema]');
    expect(r.stderr).toContain('paper.en.md:5:1: error: unknown front matter key "issuer_url" [front-matter-schema]');
    expect(r.stderr).toContain('2 errors');
  });

  it('reports malformed front matter', () => {
    const source = copySource();
    const file = path.join(source, 'china-lac-policy/paper.en.md');
    writeFileSync(file, read(file).replace('language: en', 'language: [en'));
    expectFailure(runCli(['check', source]), /paper\.en\.md:\d+:\d+: error: front matter is not valid YAML/);
  });

  it('warns of an image that is missing, unreadable or remote, at its place, and sets its alternative text; --strict refuses it', () => {
    const source = copySource();
    const file = path.join(source, 'china-lac-policy/paper.en.md');
    writeFileSync(path.join(source, 'china-lac-policy/notes.png'), 'not an image');
    writeFileSync(
      file,
      read(file).replace(
        '# Foreword\n',
        '# Foreword\n\n![Map of the region](map.png)\n\n![Notes](notes.png)\n\n![Logo](https://example.org/logo.png)\n',
      ),
    );
    const line = lineOf(file, '![Map of the region](map.png)');
    const warnings = [
      `paper.en.md:${line}:1: warning: the image "map.png" cannot be read; its alternative text is set instead [image]`,
      `paper.en.md:${line + 2}:1: warning: the image "notes.png" is not a readable PNG or JPEG file; its alternative text is set instead [image]`,
      `paper.en.md:${line + 4}:1: warning: the image "https://example.org/logo.png" is not a file beside the source; its alternative text is set instead [image]`,
    ];
    const out = path.join(tempDir(), 'dist');
    const r = runCli(['build', source, '--out', out, '--format', 'html', '-q']);
    expect(r.status, r.stderr).toBe(0);
    for (const w of warnings) expect(r.stderr).toContain(w);
    const page = read(path.join(out, 'china-lac-policy/china-lac-policy.en.html'));
    expect(page).not.toContain('<img');
    for (const alt of ['Map of the region', 'Notes', 'Logo']) expect(page).toContain(`<p id="foreword-p${['Map of the region', 'Notes', 'Logo'].indexOf(alt) + 1}">${alt}</p>`);
    const strict = runCli(['check', '--strict', source]);
    expectFailure(strict, warnings[0]!.replace(': warning: ', ': error: '));
    for (const w of warnings.slice(1)) expect(strict.stderr).toContain(w.replace(': warning: ', ': error: '));
  });

  it('builds an image without alternative text and a table without a header row with warnings at their places; build --strict refuses the image', () => {
    const source = path.join(tempDir(), 'source');
    mkdirSync(path.join(source, 'memo'), { recursive: true });
    writeFileSync(path.join(source, 'memo', 'seal.png'), readFileSync(path.join(ROOT, 'tests/fixtures/corpus/memo/seal.png')));
    const file = path.join(source, 'memo', 'paper.en.md');
    const front = '---\ntitle: A Memo\nissuer: Test Office\nissued: 2024-10-07\nlanguage: en\n---\n\n';
    writeFileSync(file, `${front}# I. Request\n\n![](seal.png)\n\n|   |   |\n|---|--:|\n| Ports | 4 |\n| Clinics | 2 |\n`);
    const image = lineOf(file, '![](seal.png)');
    const table = lineOf(file, '|   |   |');
    const warnings = [
      `memo/paper.en.md:${image}:1: warning: the image has no alternative text [image]\n  hint: write what the image shows between the brackets: ![Trade by sector, 2008](chart.png)`,
      `memo/paper.en.md:${table}:1: warning: the table has no header row: every cell of its first row is empty [table-header]\n  hint: write what each column holds in the first row, over the |---| line: | Field | Items |`,
    ];
    const out = path.join(tempDir(), 'dist');
    const r = runCli(['build', source, '--out', out, '--format', 'html,pdf,docx', '-q']);
    expect(r.status, r.stderr).toBe(0);
    for (const w of warnings) expect(r.stderr).toContain(w);
    expect(r.stderr).toContain('2 warnings');
    // No edition calls the empty first row a header: no <thead> or <th>, no w:tblHeader, no TH.
    const html = read(path.join(out, 'memo/memo.en.html'));
    expect(html).toContain('<td>Ports</td>');
    expect(html).not.toMatch(/<thead|<th[ >]/);
    const docx = new TextDecoder().decode(unzipSync(readFileSync(path.join(out, 'memo/memo.en.docx')))['word/document.xml']!);
    expect(docx).toContain('<w:tbl>');
    expect(docx).not.toContain('w:tblHeader');
    const pdf = readFileSync(path.join(out, 'memo/memo.en.pdf')).toString('latin1');
    expect(pdf).toMatch(/\/S \/TD\b/);
    expect(pdf).not.toMatch(/\/S \/TH\b/);

    const strictOut = path.join(tempDir(), 'dist');
    const strict = runCli(['build', '--strict', source, '--out', strictOut, '--format', 'html,pdf,docx', '-q']);
    expectFailure(strict, warnings[0]!.replace(': warning: ', ': error: '));
    expect(strict.stderr).toContain(warnings[1]);
    expect(strict.stderr).toContain('1 error, 1 warning');
    expect(existsSync(strictOut)).toBe(false);
  });

  it('reports a source path that does not exist', () => {
    const r = runCli(['check', 'no/such/folder']);
    expectFailure(r, 'error: source folder "no/such/folder" does not exist [source-missing]');
    expect(r.stderr).toContain('hint: name a folder that holds one folder per document');
  });
});

describe('a failed build', () => {
  let out: string;
  let before: Record<string, string>;
  beforeAll(() => {
    out = path.join(tempDir(), 'dist');
    expect(runCli(['build', '--out', out, '-q']).status).toBe(0);
    before = folderHashes(out);
  });

  const untouched = () => {
    expect(folderHashes(out)).toEqual(before);
    expect(readdirSync(path.dirname(out))).toEqual(['dist']);
  };

  it('leaves the previous output exactly as it was when a source has an error', () => {
    const source = copySource();
    const file = path.join(source, 'china-lac-policy/paper.en.md');
    writeFileSync(file, read(file).replace('### (3) Financial Cooperation', '### (4) Financial Cooperation'));
    expectFailure(runCli(['build', source, '--out', out]), '[numbering-sequence]');
    untouched();
  });

  it('leaves it as it was when a template uses a missing variable, and names the template line', () => {
    const templates = tempDir();
    mkdirSync(path.join(templates, 'html/partials'), { recursive: true });
    writeFileSync(path.join(templates, 'html/partials/colophon.hbs'), '<footer>\n<p>{{issuer}}</p>\n<p>{{publisher}}</p>\n</footer>\n');
    expectFailure(
      runCli(['build', '--out', out, '--templates', templates]),
      `${path.join(templates, 'html/partials/colophon.hbs')}:3:6: error: the template uses "publisher", which is not defined here [template-missing-variable]`,
    );
    untouched();
  });

  it('leaves it as it was when a template override breaks the XHTML', () => {
    const templates = tempDir();
    mkdirSync(path.join(templates, 'html/partials'), { recursive: true });
    writeFileSync(path.join(templates, 'html/partials/colophon.hbs'), '<footer><br></footer>\n');
    expectFailure(runCli(['build', '--out', out, '--templates', templates]), /error: the page made from the templates is not well-formed XHTML .*\[template-output\]/);
    untouched();
  });

  it('leaves it as it was when a character has no glyph in any print font, and names its place', () => {
    const source = copySource();
    const file = path.join(source, 'china-lac-policy/paper.en.md');
    writeFileSync(file, read(file).replace('### (3) Financial Cooperation\n\nThe Chinese Government supports', '### (3) Financial Cooperation\n\nThe Chinese Government (𓀀𓀁) supports'));
    const line = lineOf(file, '### (3) Financial Cooperation') + 2;
    const r = runCli(['build', source, '--out', out]);
    expectFailure(r, `paper.en.md:${line}:25: error: the fonts Source Serif 4, Noto Serif SC, Noto Serif, Source Sans 3, Noto Sans Devanagari, Noto Sans Malayalam, Noto Sans Kannada and Noto Sans Thai have no glyph for "𓀀𓀁" (U+13000 U+13001) [missing-glyph]`);
    expect(r.stderr).toContain('hint: add a font that has them to the serif family of a fallback in pdf/theme.yaml, or replace them');
    untouched();
  });

  it('leaves it as it was when a theme value is out of range, and names the theme line', () => {
    const templates = tempDir();
    mkdirSync(path.join(templates, 'pdf'), { recursive: true });
    const theme = read(path.join(ROOT, 'templates/pdf/theme.yaml')).replace('  size: 10.5', '  size: 200');
    writeFileSync(path.join(templates, 'pdf/theme.yaml'), theme);
    const line = theme.split('\n').indexOf('  size: 200') + 1;
    expectFailure(
      runCli(['build', '--out', out, '--templates', templates]),
      `${path.join(templates, 'pdf/theme.yaml')}:${line}:9: error: theme key "body.size": 200 is out of range: at most 96 [theme]`,
    );
    untouched();
  });

  it('refuses to replace a folder it did not write', () => {
    const mine = tempDir();
    writeFileSync(path.join(mine, 'notes.txt'), 'keep me');
    expectFailure(runCli(['build', '--out', mine]), 'is not empty and was not written by editions [output-folder]');
    expect(read(path.join(mine, 'notes.txt'))).toBe('keep me');
  });
});

describe('the command line', () => {
  it('shows help and the version', () => {
    expect(runCli(['--help']).stdout).toContain('Usage: editions <command> [SOURCE...] [options]');
    expect(runCli(['--version']).stdout).toMatch(/^policy-editions \d+\.\d+\.\d+\n$/);
  });

  it('rejects an unknown option or command with a hint, exit status 2', () => {
    expectFailure(runCli(['build', '--outt', 'x']), /error: Unknown option '--outt'.*\[cli-usage\]\n {2}hint: run "editions --help"/, 2);
    expectFailure(runCli(['publish']), 'error: unknown command "publish" [cli-usage]', 2);
    expectFailure(runCli(['build', '--format', 'pdff']), 'error: unknown format "pdff" [cli-usage]', 2);
  });

  it('lists the rule ids', () => {
    expect(runCli(['--rules']).stdout).toMatch(/^numbering-sequence +a numbered heading breaks its sequence/m);
  });

  it('checks the source it was given by path', () => {
    expect(runCli(['check', path.dirname(PAPER)]).status).toBe(0);
  });
});
