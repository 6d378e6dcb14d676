/** The DOCX's bookmark names: Word's rules kept, the usual IDs unchanged, the same ID always the same name. */
import { describe, expect, it } from 'vitest';
import { bookmarkNames, MAX_BOOKMARK_NAME } from '../src/formats/docx/bookmarks.js';

const WORD_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

describe('bookmark names', () => {
  it('are the stable IDs themselves when Word allows them', () => {
    const name = bookmarkNames(['foreword', 'iv-2-3', 'iv-2-3-p1']);
    expect(['foreword', 'iv-2-3', 'iv-2-3-p1'].map(name)).toEqual(['foreword', 'iv-2-3', 'iv-2-3-p1']);
  });

  it('shorten long IDs, make them start with a letter and replace characters Word does not allow', () => {
    const long = 'i-annex-on-the-coordination-of-regional-trade-facilitation-programmes';
    const ids = [long, `${long}-p1`, '1-introduction', 'iv~12', 'x'.repeat(MAX_BOOKMARK_NAME)];
    const name = bookmarkNames(ids);
    for (const id of ids) {
      expect(name(id).length, id).toBeLessThanOrEqual(MAX_BOOKMARK_NAME);
      expect(name(id), id).toMatch(WORD_NAME);
    }
    expect(name('x'.repeat(MAX_BOOKMARK_NAME))).toBe('x'.repeat(MAX_BOOKMARK_NAME));
    expect(name('1-introduction')).toMatch(/^b1-introduction_[0-9a-f]{8}$/);
    expect(name('iv~12')).toMatch(/^iv_12_[0-9a-f]{8}$/);
    expect(new Set(ids.map(name)).size).toBe(ids.length);
  });

  it('give the same ID the same name in every document, and an ID outside the list the same name too', () => {
    const long = 'a-heading-much-longer-than-forty-characters-can-hold-in-word';
    const name = bookmarkNames(['i', long]);
    expect(bookmarkNames([long])(long)).toBe(name(long));
    expect(bookmarkNames([])(long)).toBe(name(long));
  });

  it('stay unique when a shortened name is an ID of the document as it stands', () => {
    const alone = bookmarkNames(['1-a'])('1-a');
    const name = bookmarkNames(['1-a', alone]);
    expect(name(alone)).toBe(alone);
    expect(name('1-a')).not.toBe(alone);
    expect(name('1-a')).toMatch(/^b1-a_[0-9a-f]{8}$/);
  });
});
