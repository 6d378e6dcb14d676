/** Line breaking and justification of the print edition, on the theme's real fonts. */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { FontBook } from '../src/formats/pdf/fonts.js';
import { breakLines, squeezed } from '../src/formats/pdf/lines.js';
import { loadTheme } from '../src/theme/theme.js';
import { Templates } from '../src/templating/engine.js';

const fonts = new FontBook(new PDFDocument({ autoFirstPage: false }), loadTheme(new Templates([])));
const serif = (lang: string) => fonts.key({ family: 'serif', bold: false, italic: false }, lang);

describe('justification', () => {
  it('widens the spaces of a Latin line', () => {
    const [first] = breakLines([{ text: 'The two sides will strengthen dialogue and communication on many issues. '.repeat(3), font: serif('en'), size: 10, color: '#000' }], fonts, {
      width: 200,
      justify: true,
      leading: 1.4,
    });
    expect(first!.frags.reduce((n, f) => n + f.spaces, 0)).toBe(first!.frags.map((f) => f.text).join('').trimEnd().split(' ').length - 1);
    expect(first!.extraPerSpace).toBeGreaterThan(0);
  });

  it('spaces the ideographs of a Chinese line, but not the digits or letters inside it, nor after its last', () => {
    const text = '双方于2008年在IV.2.(3)所述领域开展合作，'.repeat(4);
    const [first] = breakLines([{ text, font: serif('zh-Hans'), size: 10, color: '#000' }], fonts, { width: 150, justify: true, leading: 1.4 });
    const set = first!.frags.map((f) => f.text).join('');
    const ideographs = [...set].filter((ch) => /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/.test(ch)).length;
    expect(set).toMatch(/\d/);
    // Every ideograph but the line's last: nothing follows it to widen, so the line ends flush.
    expect(first!.frags.reduce((n, f) => n + f.spaces, 0)).toBe(ideographs - 1);
  });
});

describe('Chinese punctuation side by side', () => {
  it('gives up half an em after a mark that meets another, except an opening mark before a closing one', () => {
    expect(squeezed('）', '。')).toBe(true);
    expect(squeezed('。', '”')).toBe(true);
    expect(squeezed('，', '“')).toBe(true);
    expect(squeezed('（', '“')).toBe(true);
    expect(squeezed('（', '）')).toBe(false);
    expect(squeezed('。', '中')).toBe(false);
    expect(squeezed('中', '。')).toBe(false);
  });

  it('sets "（III）。" one half em narrower than its characters', () => {
    const font = serif('zh-Hans');
    const [line] = breakLines([{ text: '政治基础（III）。', font, size: 10, color: '#000' }], fonts, { width: 500, justify: false, leading: 1.4 });
    const sum = [...'政治基础（III）。'].reduce((w, ch) => w + fonts.width(font, ch, 10), 0);
    expect(line!.width).toBeCloseTo(sum - 5, 1);
  });

  it('keeps a line that opens with a number Chinese, so that it is spaced at its ideographs', () => {
    const [first] = breakLines([{ text: '2008年以来，双方在各领域开展了广泛合作，取得了积极成果。'.repeat(3), font: serif('zh-Hans'), size: 10, color: '#000' }], fonts, {
      width: 150,
      justify: true,
      leading: 1.4,
    });
    expect(first!.frags[0]!.text.startsWith('2008')).toBe(true);
    expect(first!.frags[0]!.cjk).toBe(true);
  });
});

describe('words wider than the line', () => {
  const width = 150;
  const text = (lines: ReturnType<typeof breakLines>) => lines.map((l) => l.frags.map((f) => f.text).join(''));

  it('breaks a 2,000-letter word into lines that fill the measure, losing nothing', () => {
    const word = 'abcdefghij'.repeat(200);
    const lines = breakLines([{ text: `Before ${word} after.`, font: serif('en'), size: 10, color: '#000' }], fonts, { width, justify: true, leading: 1.4 });
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(width + 0.01);
    // The word starts on the line where it stands, and every line but the last is full.
    expect(text(lines)[0]).toMatch(/^Before abc/);
    for (const l of lines.slice(0, -1)) expect(l.width).toBeGreaterThan(width - 10);
    expect(text(lines).join('')).toBe(`Before ${word} after.`);
  });

  it('wraps a code line at a slash, a dot, a hyphen, a space or the like, and a line without any at the measure', () => {
    const code = `${'path/to-the.file?a=b&c='.repeat(8)}\n${'x'.repeat(160)}`;
    const mono = fonts.key({ family: 'mono', bold: false, italic: false }, 'en');
    const lines = breakLines([{ text: code, font: mono, size: 8.8, color: '#000' }], fonts, { width, justify: false, leading: 1.35, preserve: true });
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(width + 0.01);
    const set = text(lines);
    const split = set.findIndex((l) => l.startsWith('x'));
    for (const l of set.slice(0, split - 1)) expect(l).toMatch(/[/.?&=-]$/);
    expect(set.slice(split).join('')).toBe('x'.repeat(160));
    expect(set.slice(split).length).toBeGreaterThan(1);
    // Each wrapped part but a source line's first is marked as its continuation (drawn with ↪).
    expect(lines.map((l) => Boolean(l.continued))).toEqual(lines.map((_, i) => i !== 0 && i !== split));
  });

  it('never splits a letter from its combining accent', () => {
    const word = 'e\u0301'.repeat(300);
    const lines = breakLines([{ text: word, font: serif('en'), size: 10, color: '#000' }], fonts, { width, justify: false, leading: 1.4 });
    expect(lines.length).toBeGreaterThan(1);
    for (const l of text(lines)) expect(l).toMatch(/^(e\u0301)+$/);
  });
});

describe('a script written without spaces between words', () => {
  it('breaks a Thai sentence between its words, not inside one', () => {
    const text = 'ประเทศไทยเป็นประเทศที่ตั้งอยู่ในภูมิภาคเอเชียตะวันออกเฉียงใต้มีพื้นที่ประมาณห้าแสนตารางกิโลเมตร';
    const spans = fonts.runs(serif('th'), text).runs.map((r) => ({ text: r.text, font: r.font, size: 10, color: '#000' }));
    const lines = breakLines(spans, fonts, { width: 120, justify: true, leading: 1.4 });
    expect(lines.length).toBeGreaterThan(2);
    let end = 0;
    const wordEnds = new Set([...new Intl.Segmenter('th', { granularity: 'word' }).segment(text)].map((w) => (end += w.segment.length)));
    let at = 0;
    for (const line of lines) {
      at += line.frags.map((f) => f.text).join('').length;
      expect(wordEnds.has(at), `a line ends inside a word, at ${at}`).toBe(true);
    }
    expect(at).toBe(text.length);
  });
});
