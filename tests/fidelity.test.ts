/**
 * Every paragraph and heading of the paper as captured from the web appears in the HTML edition,
 * in order, with the three recorded repairs applied, and none of the page's chrome does.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { read, ROOT, SOURCE } from './helpers.js';
import { renderFolder, type Rendered } from './render.js';

const CAPTURE = path.join(ROOT, 'tests', 'fixtures', 'seed', 'china-lac-policy.capture.txt');

/** The repairs the editorial note records, stated independently of the source. */
const REPAIRS: [string, string][] = [
  ['its international\n\ninfluence is rising', 'its international influence is rising'],
  ['not having official ties or\n\ncontacts with Taiwan', 'not having official ties or contacts with Taiwan'],
  ['conferences and for a on poverty alleviation', 'conferences and fora on poverty alleviation'],
];

/** The paper's own lines in the capture: from "Foreword" to the last paragraph of V. */
function paperLines(): string[] {
  let text = read(CAPTURE);
  for (const [from, to] of REPAIRS) {
    expect(text, `the capture still holds "${from}"`).toContain(from);
    text = text.replace(from, to);
  }
  const lines = text.split('\n').map((l) => l.trim());
  const start = lines.indexOf('Foreword');
  const end = lines.findIndex((l) => l.startsWith('[Other articles'));
  return lines.slice(start, end).filter(Boolean).map((l) => l.replace(/^- /, ''));
}

/** The text of `xhtml`, its curly quotes (the edition's typography, not the paper's words) straight as in the capture. */
function textOf(xhtml: string): string {
  return xhtml
    .replace(/\u2060/g, '')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('fidelity to the captured paper', () => {
  let r: Rendered;
  let body: string;
  beforeAll(async () => {
    r = await renderFolder(path.join(SOURCE, 'china-lac-policy'));
    body = textOf(/<main id="text">([\s\S]*)<\/main>/.exec(r.html)![1]!);
  });

  it('holds every heading and paragraph of the paper, in order', () => {
    const lines = paperLines();
    expect(lines).toHaveLength(44 + 50);
    let from = 0;
    for (const line of lines) {
      const at = body.indexOf(line, from);
      expect(at, `missing or out of order: "${line.slice(0, 60)}..."`).toBeGreaterThanOrEqual(from);
      from = at + line.length;
    }
  });

  it('has no text of its own in the body beyond the paper', () => {
    const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
    expect(words(body)).toBe(words(paperLines().join(' ')));
  });

  it('records each repair in the colophon', () => {
    const colophon = textOf(/<footer class="colophon"[\s\S]*<\/footer>/.exec(r.html)![0]);
    expect(colophon).toContain('I, paragraph 2: Joined the paragraph that the copy split in two after "its international"');
    expect(colophon).toContain('III, paragraph 5: Joined the paragraph that the copy split in two after "not having official ties or"');
    expect(colophon).toContain('IV.3.(11), paragraph 1: Corrected "for a on poverty alleviation" to "fora on poverty alleviation"');
  });

  it('leaves out the web page chrome', () => {
    for (const chrome of ['click', 'Tags:', 'Watt Way', 'uschina@usc.edu', 'Dragon in the Room', 'white papers']) {
      expect(r.html).not.toContain(chrome);
    }
  });
});
