/** Line breaking and justification of the print edition, on the theme's real fonts. */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { FontBook } from '../src/formats/pdf/fonts.js';
import { hyphenator } from '../src/formats/pdf/hyphenate.js';
import { breakLines, squeezed, type TotalFitOptions } from '../src/formats/pdf/lines.js';
import { DEFAULT_LINES, loadTheme } from '../src/theme/theme.js';
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

describe('total fit', () => {
  const l = DEFAULT_LINES;
  const fit: TotalFitOptions = { ...l, maxHyphenRun: l.maxHyphenatedLines, emergencyStretch: l.emergencyStretch * 10 };
  const paragraph =
    'The Chinese Government encourages exchanges between non-governmental organizations and academic institutions of the two sides and gives full play to the role of the mechanism for people-to-people friendly interaction in advancing friendly relations between China and Latin American and Caribbean countries. It will strengthen interaction with youth organizations and institutions of Latin American and Caribbean countries, and deepen friendly cooperation with women\'s organizations at the national, regional and non-governmental levels. ';
  const set = async (options: Partial<TotalFitOptions>, width = 160) => {
    const hyphenate = (await hyphenator('en', { left: 3, right: 3, capitalised: false }))!;
    return breakLines([{ text: hyphenate(paragraph.repeat(2)), font: serif('en'), size: 10, color: '#000' }], fonts, { width, justify: true, leading: 1.4, fit: { ...fit, ...options } });
  };
  const longestRun = (lines: ReturnType<typeof breakLines>) => {
    let run = 0;
    let longest = 0;
    for (const line of lines) longest = Math.max(longest, (run = line.hyphenated ? run + 1 : 0));
    return longest;
  };

  it('never sets more hyphenated lines in a row than the theme allows, even when hyphens cost nothing', async () => {
    expect(longestRun(await set({ hyphenPenalty: 0, doubleHyphenDemerits: 0 }))).toBe(2);
    expect(longestRun(await set({ hyphenPenalty: 0, doubleHyphenDemerits: 0, maxHyphenRun: 1 }))).toBe(1);
  });

  it('fills every line but the last to the measure, its spaces within their stretch and shrink', async () => {
    const lines = await set({});
    for (const line of lines.slice(0, -1)) {
      const spaces = line.frags.reduce((n, f) => n + f.spaces, 0);
      expect(line.width + spaces * line.extraPerSpace).toBeCloseTo(160, 1);
      expect(line.extraPerSpace).toBeGreaterThanOrEqual(-fonts.width(serif('en'), ' ', 10) * l.spaceShrink - 0.01);
    }
  });

  it('keeps a hyphen off the lines it is told to (a page end), and a looseness of 1 sets one line more', async () => {
    const lines = await set({ hyphenPenalty: 0 });
    const hyphenated = lines.findIndex((line) => line.hyphenated);
    expect(hyphenated).toBeGreaterThanOrEqual(0);
    const again = breakLines([{ text: (await hyphenator('en', { left: 3, right: 3, capitalised: false }))!(paragraph.repeat(2)), font: serif('en'), size: 10, color: '#000' }], fonts, {
      width: 160,
      justify: true,
      leading: 1.4,
      fit: { ...fit, hyphenPenalty: 0 },
      noHyphenAfter: new Set([hyphenated]),
    });
    expect(again[hyphenated]!.hyphenated).toBeFalsy();
    expect((await set({ looseness: 1, tolerance: 10000 }, 300)).length).toBe((await set({ tolerance: 10000 }, 300)).length + 1);
  });

  it('leaves three letters on each side of a hyphen, and capitalised words whole', async () => {
    const hyphenate = (await hyphenator('en', { left: 3, right: 3, capitalised: false }))!;
    for (const part of hyphenate('economic cooperation America Caribbean').split(' ')) {
      const pieces = part.split('\u00ad');
      expect(pieces[0]!.length, part).toBeGreaterThanOrEqual(3);
      expect(pieces.at(-1)!.length, part).toBeGreaterThanOrEqual(3);
      if (/^[A-Z]/.test(part)) expect(pieces).toHaveLength(1);
    }
  });
});

describe('Chinese paragraphs', () => {
  const text = '中国政府将加强与拉美和加勒比国家在减灾救灾领域的信息共享、经验交流和技术合作，推动建立双方相关部门定期的双边和多边会晤机制。';
  const set = (extra: object) =>
    breakLines([{ text, font: serif('zh-Hans'), size: 10, color: '#000' }], fonts, { width: 155, justify: true, leading: 1.4, trimPunctuation: true, minLastLine: 2, firstIndent: 20, ...extra });

  it('indents the first line two characters and ends on a line of two characters or more', () => {
    for (const width of [150, 155, 160, 165, 170, 175]) {
      const lines = set({ width });
      expect(lines[0]!.indent).toBe(20);
      const last = lines.at(-1)!.frags.map((f) => f.text).join('');
      expect([...last].filter((ch) => /\p{L}/u.test(ch)).length, last).toBeGreaterThanOrEqual(2);
    }
  });

  it('sets a full-width mark half-width at the end of a line, and at its start', () => {
    const lines = breakLines([{ text: '（一）政治领域的合作与交流，双方同意', font: serif('zh-Hans'), size: 10, color: '#000' }], fonts, { width: 500, justify: false, leading: 1.4, trimPunctuation: true });
    expect(lines[0]!.indent).toBe(-5);
    const ended = breakLines([{ text: '政治领域的合作与交流，双方同意加强合作。', font: serif('zh-Hans'), size: 10, color: '#000' }], fonts, { width: 105, justify: true, leading: 1.4, trimPunctuation: true });
    const first = ended[0]!.frags.at(-1)!;
    expect(first.text.at(-1)).toBe('，');
    expect(first.trimEnd).toBe(true);
    // Ten characters and the comma's half: its blank half hangs past the measure.
    expect(ended[0]!.width).toBeCloseTo(105, 1);
  });
});
