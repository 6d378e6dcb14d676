/** Line breaking and justification of the print edition, on the theme's real fonts. */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { FontBook } from '../src/formats/pdf/fonts.js';
import { breakLines, squeezed } from '../src/formats/pdf/lines.js';
import { loadTheme } from '../src/formats/pdf/theme.js';
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

  it('spaces the ideographs of a Chinese line, but not the digits or letters inside it', () => {
    const text = '双方于2008年在IV.2.(3)所述领域开展合作，'.repeat(4);
    const [first] = breakLines([{ text, font: serif('zh-Hans'), size: 10, color: '#000' }], fonts, { width: 150, justify: true, leading: 1.4 });
    const set = first!.frags.map((f) => f.text).join('');
    const ideographs = [...set].filter((ch) => /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/.test(ch)).length;
    expect(set).toMatch(/\d/);
    expect(first!.frags.reduce((n, f) => n + f.spaces, 0)).toBe(ideographs);
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
