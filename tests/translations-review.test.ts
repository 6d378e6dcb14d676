/** Reviewing what changed: the word diff of two texts of an original block. */
import { describe, expect, it } from 'vitest';
import { wordDiff } from '../src/translations/word-diff.js';

describe('the word diff', () => {
  it('spells both texts exactly, and shows a phrase replaced as one change, not word by word around kept spaces', () => {
    const before = 'the old big house stands.';
    const after = 'the new small house stands, rebuilt.';
    const changes = wordDiff(before, after, 'en');
    expect(changes).toEqual([
      { op: 'equal', text: 'the ' },
      { op: 'delete', text: 'old big' },
      { op: 'insert', text: 'new small' },
      { op: 'equal', text: ' house stands' },
      { op: 'insert', text: ', rebuilt' },
      { op: 'equal', text: '.' },
    ]);
    expect(changes.filter((c) => c.op !== 'insert').map((c) => c.text).join('')).toBe(before);
    expect(changes.filter((c) => c.op !== 'delete').map((c) => c.text).join('')).toBe(after);
  });

  it('keeps a Latin word and a number whole inside Chinese text', () => {
    expect(wordDiff('依照APEC 2008年的决定', '依照APEC 2009年的协议', 'zh-Hans')).toEqual([
      { op: 'equal', text: '依照APEC ' },
      { op: 'delete', text: '2008' },
      { op: 'insert', text: '2009' },
      { op: 'equal', text: '年的' },
      { op: 'delete', text: '决定' },
      { op: 'insert', text: '协议' },
    ]);
  });
});
