/**
 * CommonMark conformance: every example of the spec (0.31.2) is a document of its own, and all
 * of them are built in one run in all four formats, then checked by the real clients (the Nu
 * checker, epubcheck, qpdf, the Open XML SDK's validator). An example that breaks one of the
 * rules a release must keep (an image that is not a file beside the source, a broken internal
 * link, a repeated or empty heading) is built with a warning at its place, as pandoc builds it,
 * and is listed in STRICT with those rules: `check --strict` refuses it, and no other example.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import type { Nodes } from 'mdast';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTurns } from '../src/shared/turns.js';
import { parseMarkdown } from '../src/source/parse.js';
import { EXAMPLES, exampleId, FRONT_LINES, writeExamples } from './commonmark-examples.js';
import { EPUBCHECK_JAR, hasEpubcheck, hasJdk, hasPoppler, hasQpdf, hasVnu, ROOT, runCli, tempDir, VNU_JAR, type CliResult } from './helpers.js';

/** Examples that a `--strict` check refuses, with every rule they break; all of them build. */
const STRICT: Record<number, string[]> = {
  // Headings with no text ("## ", "#"): left out of every edition.
  ...each([79], ['empty-heading']),
  // Two headings "Foo": the second takes the ID "foo-2".
  ...each([68, 76, 83, 84], ['duplicate-id']),
  // A link to "#fragment", which is no ID of the text: its text is kept, unlinked.
  ...each([501], ['broken-link']),
  // An image at an absolute path ("/url"): the editions read only files beside the source, and
  // set the alternative text instead.
  ...each([572, 574, 575, 579, 581, 582, 583, 584, 585, 586, 587, 588, 589, 591], ['image']),
};

const FORMATS = ['html', 'epub', 'pdf', 'docx'];
const built = EXAMPLES;

const execFileAsync = promisify(execFile);

let source: string;
let out: string;
let build: CliResult;
/** The two Java checkers take half a minute together: they run while the other checks do. */
let vnu: Promise<CliResult> | undefined;
let epubcheck: Promise<CliResult> | undefined;

beforeAll(() => {
  source = tempDir('commonmark-');
  out = path.join(tempDir(), 'dist');
  writeExamples(source, EXAMPLES);
  const started = performance.now();
  build = runCli(['build', ...built.map((e) => path.join(source, exampleId(e.number))), '--out', out, '--format', FORMATS.join(','), '-q']);
  console.log(`built ${built.length} CommonMark examples in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (hasVnu()) vnu = runAsync('java', ['-jar', VNU_JAR, '--format', 'json', ...files('html')]);
  if (hasEpubcheck() && hasJdk() && build.status === 0) {
    // One broken EPUB goes last, to show that the checker finds what epubcheck finds.
    const checker = path.join(ROOT, 'tests', 'java', 'EpubCheckAll.java');
    epubcheck = runAsync('java', ['-cp', EPUBCHECK_JAR, checker, ...files('epub'), brokenCopy(files('epub')[0]!)]);
  }
}, 300_000);

/** Every built example's output in `format`. */
function files(format: string): string[] {
  return built.map((e) => path.join(out, exampleId(e.number), `${exampleId(e.number)}.en.${format}`));
}

/** The outputs in `format`: they must all exist, or a validator would pass on nothing. */
function outputs(format: string): string[] {
  const list = files(format);
  expect(list.filter((f) => !existsSync(f))).toEqual([]);
  return list;
}

describe('the CommonMark spec examples', () => {
  it('build in one run in all four formats, every output written', () => {
    expect(build.stderr).not.toContain('internal error');
    expect(build.status, build.stderr).toBe(0);
    for (const format of FORMATS) outputs(format);
  });

  it('say what they leave out or change only in messages with a place in the source', () => {
    const lines = build.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('  hint: ') && !/^\d+ warnings?$/.test(l));
    expect(lines.filter((l) => !/^\S+\/spec-\d{3}\/paper\.en\.md:\d+:\d+: warning: .* \[[a-z-]+\]$/.test(l))).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('report every raw HTML block and inline at its place (no edition renders it)', () => {
    const expected = built.flatMap((e) =>
      htmlPlaces(e.markdown).map((p) => `${path.join(source, exampleId(e.number), 'paper.en.md')}:${p.line + FRONT_LINES}:${p.column}: warning: raw HTML`),
    );
    const reported = new Set(build.stderr.split('\n').filter((l) => l.includes('[unsupported-content]')).map((l) => l.replace(/ is not rendered.*$/, '')));
    expect(expected.filter((w) => !reported.has(w))).toEqual([]);
  });

  it.skipIf(!hasVnu())('are valid HTML: the Nu checker finds no errors and no warnings in any page', async () => {
    outputs('html');
    const r = await vnu!;
    const messages = (JSON.parse(r.stderr).messages as { type: string; subType?: string; message: string; url: string; lastLine?: number }[])
      // Warnings come as type "info" with subType "warning"; plain infos are notes, not findings.
      .filter((m) => m.type !== 'info' || m.subType === 'warning')
      .map((m) => `${path.basename(m.url)}:${m.lastLine}: ${m.type}: ${m.message}`);
    expect(messages).toEqual([]);
  });

  it.skipIf(!hasEpubcheck() || !hasJdk())('are valid EPUB 3: epubcheck finds no fatals, errors or warnings in any EPUB', async () => {
    outputs('epub');
    const r = await epubcheck!;
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // Every file is counted: a checker that stopped early must not pass.
    expect(lines.filter((l) => /^\d+ \d+ \d+ /.test(l))).toHaveLength(built.length + 1);
    const broken = lines.findIndex((l) => l.endsWith('broken.epub'));
    expect(lines[broken]).toMatch(/^0 [1-9]\d* 0 /);
    expect(lines.slice(broken + 1).join('\n')).toContain('ERROR(RSC-005) EPUB/paper.xhtml');
    expect(lines.slice(0, broken).filter((l) => !l.startsWith('0 0 0 '))).toEqual([]);
  });

  it.skipIf(!hasQpdf())('are sound PDFs: qpdf --check passes every one', () => {
    const failed = outputs('pdf').filter((f) => {
      const r = spawnSync('qpdf', ['--check', f], { encoding: 'utf8' });
      return r.status !== 0 || !r.stdout.includes('No syntax or stream encoding errors found');
    });
    expect(failed).toEqual([]);
  });

  it('are valid Open XML: the Open XML SDK\'s validator finds no errors in any DOCX', async () => {
    // In this process, not one command per file: its .NET runtime takes a second and more to start.
    const { default: validate } = await import('@ooxml-tools/validate');
    const invalid: string[] = [];
    for (const file of outputs('docx')) {
      const errors = await validate(readFileSync(file), 'docx');
      if (errors.length > 0) invalid.push(`${path.basename(file)}: ${errors.map((e) => `${e.path.partUri} ${e.path.xpath}: ${e.description}`).join('; ')}`);
    }
    expect(invalid).toEqual([]);
  });

  it.skipIf(!hasPoppler())('lose no word in the PDF or the DOCX: each prints every word of its HTML page', async () => {
    // -raw: in content order; the default layout mode can set a short line beside the next.
    const pdfText = await inTurns(outputs('pdf'), async (file) => (await execFileAsync('pdftotext', ['-q', '-raw', file, '-'], { maxBuffer: 16 * 1024 * 1024 })).stdout, 2);
    const docx = outputs('docx');
    const lost: Record<string, number[]> = { pdf: [], docx: [] };
    outputs('html').forEach((file, i) => {
      const words = pageWords(readFileSync(file, 'utf8'));
      const n = built[i]!.number;
      if (!prints(pdfText[i]!, words)) lost.pdf!.push(n);
      if (!prints(docxText(docx[i]!), words)) lost.docx!.push(n);
    });
    expect(lost).toEqual({ pdf: [], docx: [] });
  });

  it('are refused by a --strict check only where they break a rule a release must keep, each error at its place', () => {
    const r = runCli(['check', '--strict', ...EXAMPLES.map((e) => path.join(source, exampleId(e.number)))]);
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('  hint: ') && !/^\d+ errors?(, \d+ warnings?)?$/.test(l));
    expect(lines.filter((l) => !/^\S+\/spec-\d{3}\/paper\.en\.md:\d+:\d+: (error|warning): .* \[[a-z-]+\]$/.test(l))).toEqual([]);
    const errors = lines.filter((l) => l.includes(': error: '));
    const found: Record<number, string[]> = {};
    for (const line of errors) {
      const [, n, rule] = /spec-(\d{3})\/.* \[([a-z-]+)\]$/.exec(line)!;
      const rules = (found[Number(n)] ??= []);
      if (!rules.includes(rule!)) rules.push(rule!);
    }
    for (const rules of Object.values(found)) rules.sort();
    expect(found).toEqual(STRICT);
  });
});

/** A copy of `epub` whose page has an element XHTML does not know, zipped as an EPUB must be. */
function brokenCopy(epub: string): string {
  const parts = unzipSync(readFileSync(epub));
  const page = new TextDecoder().decode(parts['EPUB/paper.xhtml']!).replace('<main id="text">', '<main id="text"><nonsense/>');
  parts['EPUB/paper.xhtml'] = new TextEncoder().encode(page);
  const { mimetype, ...rest } = parts;
  const file = path.join(tempDir(), 'broken.epub');
  writeFileSync(file, zipSync({ mimetype: [mimetype!, { level: 0 }], ...rest }));
  return file;
}

/** Runs a command without blocking the tests, collecting its output. */
function runAsync(command: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => resolve({ status: -1, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** The words of an HTML page's text (its <main>), as one string per word. Our XHTML escapes only & < > ". */
function pageWords(page: string): string[] {
  const main = page.slice(page.indexOf('<main id="text">'), page.indexOf('</main>'));
  const text = main.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return text.split(/\s+/).filter(Boolean);
}

/**
 * Whether `text` holds every word, ignoring line breaks and spaces (a PDF breaks lines and
 * hyphenates with a soft hyphen, a DOCX splits runs).
 */
function prints(text: string, words: string[]): boolean {
  const flat = text.replace(/[\s\u00ad]+/g, '');
  return words.every((w) => flat.includes(w));
}

/** The text of a DOCX's body: its runs' text, tabs and breaks as spaces. */
function docxText(file: string): string {
  const xml = new TextDecoder().decode(unzipSync(readFileSync(file))['word/document.xml']!);
  const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:(?:tab|br)\/>/g)].map((m) => m[1] ?? ' ').join('');
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function each(numbers: number[], rules: string[]): Record<number, string[]> {
  return Object.fromEntries(numbers.map((n) => [n, rules]));
}

/** Where the raw HTML nodes of the Markdown start (lines of the example itself). */
function htmlPlaces(markdown: string): { line: number; column: number }[] {
  const places: { line: number; column: number }[] = [];
  const walk = (node: Nodes): void => {
    if (node.type === 'html' && node.position) places.push(node.position.start);
    if ('children' in node) node.children.forEach(walk);
  };
  walk(parseMarkdown(markdown));
  return places;
}
