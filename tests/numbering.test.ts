import { describe, expect, it } from 'vitest';
import { formatNumber, parseHeadingNumber, SiblingSequence } from '../src/model/numbering.js';
import { slug } from '../src/model/build.js';

describe('heading numbers', () => {
  it.each([
    ['IV. Strengthen Cooperation', 'roman', 4, 'iv', 'IV.'],
    ['XIV. Fourteen', 'roman', 14, 'xiv', 'XIV.'],
    ['2. In the Economic Field', 'arabic', 2, '2', '2.'],
    ['(11) Cooperation in Poverty Alleviation', 'parenthesised', 11, '11', '(11)'],
    ['(b) Second point', 'letter', 2, 'b', '(b)'],
    ['2.3.1 Purpose of this white paper', 'decimal', 1, '2-3-1', '2.3.1'],
    ['1.10. Tenth', 'decimal', 10, '1-10', '1.10.'],
  ])('reads %s', (text, style, value, token, printed) => {
    expect(parseHeadingNumber(text)).toMatchObject({ style, value, token, printed });
  });

  it.each(['Foreword', 'IIII. Not a numeral', 'VX. Nor this', '2020 in review', 'I.No space', '1.5x growth', '2.0.1 has a zero'])('finds no number in %s', (text) => {
    expect(parseHeadingNumber(text)).toBeNull();
  });

  it('prints numbers back in their style', () => {
    expect(formatNumber('roman', 9)).toBe('IX.');
    expect(formatNumber('arabic', 3)).toBe('3.');
    expect(formatNumber('parenthesised', 4)).toBe('(4)');
    expect(formatNumber('letter', 3)).toBe('(c)');
    expect(formatNumber('decimal', 4, [2, 3])).toBe('2.3.4');
  });
});

describe('sibling sequences', () => {
  const run = (...texts: string[]) => {
    const seq = new SiblingSequence();
    return texts.map((t) => seq.next(parseHeadingNumber(t)!)?.message ?? null);
  };

  it('accepts 1, 2, 3', () => {
    expect(run('(1) a', '(2) b', '(3) c')).toEqual([null, null, null]);
  });

  it('names the gap', () => {
    expect(run('(1) a', '(2) b', '(4) c')).toEqual([null, null, '(4) follows (2); expected (3)']);
  });

  it('names a renumbering that repeats the next number', () => {
    // IV.2.(3) renumbered (4): the (4) that follows is then a repeat.
    expect(run('(1) a', '(2) b', '(4) c', '(4) d', '(5) e')).toEqual([
      null,
      null,
      '(4) follows (2); expected (3)',
      '(4) repeats or goes back after (4); expected (5)',
      null,
    ]);
  });

  it('checks decimal numbers for gaps, repeats and a changed prefix', () => {
    expect(run('1.1 a', '1.2 b', '1.3 c')).toEqual([null, null, null]);
    expect(run('1.1 a', '1.3 c')).toEqual([null, '1.3 follows 1.1; expected 1.2']);
    expect(run('2.3.1 a', '2.3.1 b')).toEqual([null, '2.3.1 repeats or goes back after 2.3.1; expected 2.3.2']);
    expect(run('1.1 a', '2.2 b')).toEqual([null, '2.2 does not continue 1.1; expected 1.2']);
    expect(run('1.2 a')).toEqual(['numbering starts at 1.2; expected 1.1']);
  });

  it('requires the first number to be 1 and one style per level', () => {
    expect(run('II. b')).toEqual(['numbering starts at II.; expected I.']);
    expect(run('1. a', '(2) b')[1]).toBe('"(2)" is numbered in another style than its siblings; expected 2.');
  });
});

describe('slugs for unnumbered headings', () => {
  it('keeps letters and digits', () => {
    expect(slug('Foreword')).toBe('foreword');
    expect(slug('Annex: Términos y condiciones (2008)')).toBe('annex-terminos-y-condiciones-2008');
    expect(slug('前言')).toBe('');
  });
});
