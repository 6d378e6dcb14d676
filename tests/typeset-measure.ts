/**
 * Typesetting figures of a PDF, read back through poppler (`pdftotext -bbox-layout`): its lines
 * with their words' boxes, as a reader sees them. Used by tests/typeset-lines.test.ts, and run
 * by hand (`npx tsx tests/typeset-measure.ts dist/`... or through vitest) for before/after figures.
 */
import { execFileSync } from 'node:child_process';

export interface Word {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

export interface TextLine {
  page: number;
  block: number;
  words: Word[];
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  text: string;
}

const NUM = (s: string, name: string) => Number(new RegExp(`${name}="([-\\d.]+)"`).exec(s)![1]);
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Every line of every page, in poppler's reading order, with its block. */
export function readLines(file: string): { lines: TextLine[]; pages: { width: number; height: number }[] } {
  const xml = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const lines: TextLine[] = [];
  const pages: { width: number; height: number }[] = [];
  let block = 0;
  for (const page of xml.split('<page ').slice(1)) {
    pages.push({ width: NUM(page, 'width'), height: NUM(page, 'height') });
    for (const b of page.split('<block ').slice(1)) {
      block++;
      for (const l of b.split('<line ').slice(1)) {
        const words = [...l.matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)].map((m) => ({
          xMin: NUM(m[1]!, 'xMin'),
          yMin: NUM(m[1]!, 'yMin'),
          xMax: NUM(m[1]!, 'xMax'),
          yMax: NUM(m[1]!, 'yMax'),
          text: unescape(m[2]!),
        }));
        if (words.length === 0) continue;
        lines.push({
          page: pages.length,
          block,
          words,
          xMin: Math.min(...words.map((w) => w.xMin)),
          xMax: Math.max(...words.map((w) => w.xMax)),
          yMin: Math.min(...words.map((w) => w.yMin)),
          yMax: Math.max(...words.map((w) => w.yMax)),
          text: words.map((w) => w.text).join(' '),
        });
      }
    }
  }
  return { lines, pages };
}

const CJK_CHAR = /[\u3400-\u9fff\uf900-\ufaff]/u;
const CJK_ANY = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/gu;
const SHY = '\u00ad';

export interface Figures {
  file: string;
  /** Lines of text in the body area (running heads and page numbers left out), not Chinese. */
  lines: number;
  /** Of them, in parallel columns (of a bilingual edition or packet, in one half of the page). */
  columnLines: number;
  hyphenated: number;
  columnHyphenated: number;
  /** Ending at a soft hyphen (the line breaker's), or at a written hyphen. */
  longestRun: number;
  /** A line starting with the last two letters or fewer of a word hyphenated at the line before. */
  carryOvers: string[];
  /** Capitalised words split at a soft hyphen. */
  capitalisedSplits: string[];
  /** Justified lines (full to the block's right edge, not a block's last). */
  justified: number;
  /** Of them, lines with an inter-word gap wider than 0.6 em. */
  wideGaps: number;
  wideGapExamples: string[];
  /** Chinese paragraphs seen, those not indented two characters, those ending in one character. */
  /** Pages (or a page's columns) whose last line ends at a soft hyphen: the word goes on over the page. */
  pageEndHyphens: string[];
  /** Ragged lines of columns (short of the block's right edge, not a block's last): how far short, in ems. */
  raggedLines: number;
  raggedMean: number;
  raggedMax: number;
  chineseParagraphs: number;
  notIndented: string[];
  singleCharacterEnds: string[];
}

export const pct = (n: number, of: number) => (of === 0 ? 0 : (100 * n) / of);

/**
 * The figures of one PDF. `top` and `bottom` bound the text area (the theme's margins), `size`
 * is the body size (an em), `textWidth` the text area's width.
 */
export function measure(file: string, o: { top: number; bottom: number; size: number; textWidth: number }): Figures {
  const { lines: all, pages } = readLines(file);
  const parallel = /\+[^/]*\.pdf$/.test(file);
  const body = all.filter((l) => l.yMin >= o.top - 2 && l.yMax <= pages[l.page - 1]!.height - o.bottom + 4);
  const f: Figures = {
    file,
    lines: 0,
    columnLines: 0,
    hyphenated: 0,
    columnHyphenated: 0,
    longestRun: 0,
    carryOvers: [],
    capitalisedSplits: [],
    justified: 0,
    wideGaps: 0,
    wideGapExamples: [],
    pageEndHyphens: [],
    raggedLines: 0,
    raggedMean: 0,
    raggedMax: 0,
    chineseParagraphs: 0,
    notIndented: [],
    singleCharacterEnds: [],
  };
  const chinese = (l: TextLine) => (l.text.match(CJK_ANY) ?? []).length > l.text.replace(/\s/g, '').length / 3;
  const hyphenated = (l: TextLine) => {
    const last = l.words.at(-1)!.text;
    // A written hyphen ends a hyphenated line in a word (people-to-|people), not in an address
    // or a path broken where it fills the line (https://.../latin-america-|and-the-caribbean).
    return last.endsWith(SHY) || /^[^\p{L}]*[\p{L}\p{M}'’\u2010-]*\p{L}[-\u2010]$/u.test(last);
  };
  // Blocks: lines in order, each block's lines together.
  const blocks = new Map<number, TextLine[]>();
  for (const l of body) (blocks.get(l.block) ?? blocks.set(l.block, []).get(l.block)!).push(l);
  for (const lines of blocks.values()) {
    const right = Math.max(...lines.map((l) => l.xMax));
    const blockWidth = right - Math.min(...lines.map((l) => l.xMin));
    let run = 0;
    lines.forEach((l, i) => {
      if (chinese(l)) {
        run = 0;
        return;
      }
      // In parallel columns: a bilingual edition's or packet's (its name joins two languages with
      // "+") block standing in one half of the page.
      const mid = pages[l.page - 1]!.width / 2;
      const column = parallel && blockWidth < o.textWidth * 0.6 && (right < mid + 4 || Math.min(...lines.map((x) => x.xMin)) > mid - 4);
      f.lines++;
      if (column) f.columnLines++;
      const h = hyphenated(l);
      if (h) {
        f.hyphenated++;
        if (column) f.columnHyphenated++;
        run++;
        f.longestRun = Math.max(f.longestRun, run);
      } else run = 0;
      const last = l.words.at(-1)!.text;
      const next = lines[i + 1];
      if (last.endsWith(SHY)) {
        const word = last.replace(/^[^\p{L}]+/u, '');
        if (/^\p{Lu}/u.test(word)) f.capitalisedSplits.push(`${last}${next?.words[0]?.text ?? ''}`);
        if (next) {
          const carried = /^\p{L}*/u.exec(next.words[0]!.text)![0];
          if (carried.length > 0 && carried.length <= 2) f.carryOvers.push(`${last}${next.words[0]!.text}`);
        }
      }
      if (column && next && Math.abs(l.xMax - right) >= 0.6) {
        const short = (right - l.xMax) / o.size;
        f.raggedMean = (f.raggedMean * f.raggedLines + short) / ++f.raggedLines;
        f.raggedMax = Math.max(f.raggedMax, short);
      }
      // Justified: not its block's last line, reaching the block's right edge, with spaces.
      if (next && l.words.length >= 3 && Math.abs(l.xMax - right) < 0.6 && l.xMax - l.xMin > blockWidth * 0.9) {
        f.justified++;
        let widest = 0;
        for (let k = 1; k < l.words.length; k++) widest = Math.max(widest, l.words[k]!.xMin - l.words[k - 1]!.xMax);
        const em = o.size;
        if (widest > 0.6 * em) {
          f.wideGaps++;
          if (f.wideGapExamples.length < 5) f.wideGapExamples.push(`p${l.page}: ${l.text} (${(widest / em).toFixed(2)} em)`);
        }
      }
    });
  }
  const lastLines = new Map<string, TextLine>();
  for (const l of body) {
    const key = `${l.page}:${parallel && l.xMin >= pages[l.page - 1]!.width / 2 - 4 ? 'R' : 'L'}`;
    const seen = lastLines.get(key);
    if (!seen || l.yMin > seen.yMin) lastLines.set(key, l);
  }
  for (const [key, l] of lastLines) if (l.words.at(-1)!.text.endsWith(SHY)) f.pageEndHyphens.push(`p${key}: ${l.text.slice(-30)}`);
  const bodyPages = new Set(all.filter((l) => l.yMax < o.top - 2).map((l) => l.page));
  // A packet's glossary and sources (and the colophon after them) are entries, not paragraphs of
  // text: they stand flush, each a term or a title first. The body ends at the first of their headings.
  const end = all.find((l) => BACK_MATTER.has(l.text.trim()));
  const inBody = (l: TextLine) => !end || l.page < end.page || (l.page === end.page && l.yMin < end.yMin);
  chineseParagraphs(body.filter((l) => chinese(l) && inBody(l)), pages, bodyPages, o, f);
  return f;
}

/** The headings of a packet's back matter, in Chinese (templates/i18n/zh-Hans.yaml: glossary, sources). */
const BACK_MATTER = new Set(['术语表', '资料来源']);

/**
 * Chinese paragraphs: body-size lines of a column (left or right half), a new paragraph where
 * the space above a line is more than a line's pitch. A paragraph's first line must stand two
 * characters in from the column's edge (one and a half when it opens with a mark set half-width),
 * unless it carries on a paragraph from the page before; its last line must hold two characters.
 */
function chineseParagraphs(lines: TextLine[], pages: { width: number }[], bodyPages: ReadonlySet<number>, o: { size: number; textWidth: number }, f: Figures): void {
  const size = o.size;
  // Body pages only (the title page, colophon and contents have no running heads), and
  // body-size lines of the regular face (a bold heading of the body's size stands taller).
  const bodyLines = lines.filter((l) => {
    const h = (l.yMax - l.yMin) / size;
    return bodyPages.has(l.page) && h > 1.3 && h < 1.47;
  });
  const byColumn = new Map<string, TextLine[]>();
  for (const l of bodyLines) {
    const key = `${l.page}:${l.xMin < pages[l.page - 1]!.width / 2 - 4 ? 'L' : 'R'}`;
    (byColumn.get(key) ?? byColumn.set(key, []).get(key)!).push(l);
  }
  const previousFull = new Map<string, boolean>();
  for (const [key, col] of byColumn) {
    const side = key.split(':')[1]!;
    col.sort((a, b) => a.yMin - b.yMin);
    // The column's edge: the leftmost start that two lines share, of lines not opening with a mark set half-width (they start half an em before it).
    const starts = new Map<number, number>();
    for (const l of col) if (!/^[（「『《〈【〔〖“‘]/.test(l.text)) starts.set(Math.round(l.xMin * 2) / 2, (starts.get(Math.round(l.xMin * 2) / 2) ?? 0) + 1);
    const shared = [...starts].filter(([, n]) => n >= 2).map(([x]) => x);
    const left = shared.length > 0 ? Math.min(...shared) : Math.min(...col.map((l) => l.xMin));
    const right = Math.max(...col.map((l) => l.xMax));
    const paragraphs: TextLine[][] = [];
    col.forEach((l, i) => {
      const prev = col[i - 1];
      if (!prev || l.yMin - prev.yMax > size * 0.25) paragraphs.push([l]);
      else paragraphs.at(-1)!.push(l);
    });
    paragraphs.forEach((p, k) => {
      const lastLine = p.at(-1)!;
      // Full to the edge, within a character (a line may end short of a character that may not open the next, as 。).
      const full = right - lastLine.xMax < size * 1.2;
      const carriedFrom = previousFull.get(side) === true;
      if (k === paragraphs.length - 1) previousFull.set(side, full);
      // A list item (its label first) or a quotation (every line stands in from the column's edge).
      if (/^(\u2022|\u2013|\d+\.)$/.test(p[0]!.words[0]!.text) || (p.length > 1 && p.slice(1).every((l) => l.xMin > left + size * 0.5))) return;
      const first = p[0]!;
      const indent = (first.xMin - left) / size;
      const carriesOn = k === 0 && indent < 0.3 && carriedFrom;
      // A line alone that ends no sentence is no paragraph of text (a glossary's term).
      const text = p.length > 1 || /[。！？」”）]$/.test(lastLine.text);
      if (!carriesOn && text) {
        f.chineseParagraphs++;
        if (!(indent > 1.4 && indent < 2.1)) f.notIndented.push(`p${first.page}: ${first.text.slice(0, 20)} (${indent.toFixed(2)} em)`);
      }
      if (!full || k < paragraphs.length - 1) {
        const counted = [...lastLine.text].filter((ch) => CJK_CHAR.test(ch) || /[\p{L}\p{N}]/u.test(ch)).length;
        if (counted < 2) f.singleCharacterEnds.push(`p${lastLine.page}: ${p.map((l) => l.text).join('').slice(-12)}`);
      }
    });
  }
}

/** By hand: `npx vite-node tests/typeset-measure.ts FILE.pdf...` prints each file's figures. */
if (/typeset-measure\.(ts|mjs)$/.test(process.argv[1] ?? '')) {
  for (const file of process.argv.slice(2)) {
    const m = measure(file, { top: 78, bottom: 72, size: 10.5, textWidth: 459.28 });
    console.log(
      `${file.split('/').at(-1)}: hyphenated ${pct(m.hyphenated - m.columnHyphenated, m.lines - m.columnLines).toFixed(1)}% single, ${pct(m.columnHyphenated, m.columnLines).toFixed(1)}% columns (${m.lines} lines), longest run ${m.longestRun}, carry-overs ${m.carryOvers.length}, capitalised ${m.capitalisedSplits.length}, page-end hyphens ${m.pageEndHyphens.length}, wide gaps ${m.wideGaps}/${m.justified} (${pct(m.wideGaps, m.justified).toFixed(1)}%), ragged ${m.raggedLines} lines short by ${m.raggedMean.toFixed(1)} em on average, ${m.raggedMax.toFixed(1)} at most, zh paragraphs ${m.chineseParagraphs}, not indented ${m.notIndented.length}, single-char ends ${m.singleCharacterEnds.length}`,
    );
    if (process.env.VERBOSE) console.log(m.carryOvers.slice(0, 5), m.capitalisedSplits.slice(0, 5), m.wideGapExamples, m.notIndented.slice(0, 5), m.singleCharacterEnds.slice(0, 5));
  }
}
