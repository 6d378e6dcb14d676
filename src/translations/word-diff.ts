/**
 * The word diff of two texts of an original block: what a translator has to carry over. Words are
 * found with Intl.Segmenter in the original's language (UAX #29 word boundaries, for every script
 * that writes spaces, and Thai's dictionary), except in Chinese and Japanese, which are diffed
 * character by character: ICU finds their words by dictionary, and its dictionary cuts policy
 * vocabulary wrongly (拉美国家, "Latin American countries", comes out 拉|美国|家, "pull | the
 * United States | home"), so a change would show as whole wrong words replaced, and that
 * dictionary may change with the ICU that Node ships. By character, a changed word shows as the
 * characters that changed, which read as the change in a script where a character is most of a
 * word; a Latin word or a number inside Chinese text is still diffed whole.
 */
import { diffArrays } from 'diff';

export interface Change {
  op: 'equal' | 'delete' | 'insert';
  text: string;
}

/** Han (with its marks of iteration), hiragana and katakana: scripts written without spaces that ICU segments by dictionary. */
const BY_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * `before` to `after`, as runs kept, deleted and inserted. Whitespace is a token of its own, so
 * the equal and deleted runs spell `before` exactly and the equal and inserted ones `after`
 * (jsdiff's diffWords, which ignores whitespace, loses a space of one of them at an insertion).
 */
export function wordDiff(before: string, after: string, lang: string): Change[] {
  const tokens = tokenizer(lang);
  const raw = diffArrays(tokens(before), tokens(after)).map((c): Change => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value.join('') }));
  return foldSpaces(raw);
}

/** Words (and spaces, and punctuation marks) by Intl.Segmenter; in Chinese and Japanese, characters (grapheme clusters). */
function tokenizer(lang: string): (text: string) => string[] {
  const words = new Intl.Segmenter(lang, { granularity: 'word' });
  const characters = new Intl.Segmenter(lang, { granularity: 'grapheme' });
  return (text) => [...words.segment(text)].flatMap((s) => (BY_CHARACTER.test(s.segment) ? [...characters.segment(s.segment)].map((c) => c.segment) : [s.segment]));
}

/**
 * A space kept between two changes joins them: "[-a-]{+b+} [-c-]{+d+}" reads as the phrase
 * replaced, "[-a c-]{+b d+}", which is what the reader sees changed; a diff whose tokens include
 * spaces otherwise keeps every space between words it replaces.
 */
function foldSpaces(changes: readonly Change[]): Change[] {
  const out: Change[] = [];
  let deleted = '';
  let inserted = '';
  const flush = () => {
    if (deleted) out.push({ op: 'delete', text: deleted });
    if (inserted) out.push({ op: 'insert', text: inserted });
    deleted = inserted = '';
  };
  changes.forEach((c, i) => {
    if (c.op === 'delete') deleted += c.text;
    else if (c.op === 'insert') inserted += c.text;
    // diffArrays never sets two equal runs side by side: an equal run before the last is followed by a change.
    else if ((deleted || inserted) && /^\s+$/.test(c.text) && i + 1 < changes.length) {
      deleted += c.text;
      inserted += c.text;
    } else {
      flush();
      out.push(c);
    }
  });
  flush();
  return out;
}

/** The changes as `git diff --word-diff=plain` prints them: [-deleted-]{+inserted+}, readable without colour. */
export function plainDiff(changes: readonly Change[]): string {
  return changes.map((c) => (c.op === 'delete' ? `[-${c.text}-]` : c.op === 'insert' ? `{+${c.text}+}` : c.text)).join('');
}
