/** External links: kept when a reader can follow them, otherwise reported and set as their text. */
import type { Nodes } from 'mdast';
import { describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { buildModel } from '../src/model/build.js';
import { unfollowable } from '../src/model/links.js';
import { parseSource } from '../src/source/parse.js';

const FRONT = '---\ntitle: Links\nissuer: The Test Office\nissued: 2020-01-31\nlanguage: en\n---\n';

function model(body: string) {
  const report = new Report();
  const built = buildModel(parseSource(FRONT + body, '/docs/test/paper.en.md', report), 'test', report)!;
  const links: string[] = [];
  const walk = (node: Nodes): void => {
    if (node.type === 'link') links.push(node.url);
    if (node.type === 'linkReference') links.push(`[${node.identifier}]`);
    if ('children' in node) node.children.forEach(walk);
  };
  built.allSections.forEach((s) => s.content.forEach(walk));
  const warnings = report.diagnostics.map((d) => `${d.place?.line}:${d.place?.column} ${d.severity} ${d.ruleId}: ${d.message}`);
  return { model: built, links, warnings };
}

describe('which links a reader can follow', () => {
  it.each(['https://example.org/a?b=1&c', 'https://bücher.example/%C3%BC#top', 'https://example.org/a b', 'https://example.com/\\[\\', 'http://foo.bar.baz', 'MAILTO:FOO@BAR.BAZ', 'mailto:a@b.example', 'irc://foo.bar:2233/baz', 'https://[::1]/', 'tel:+4412345'])(
    'follows %s',
    (url) => expect(unfollowable(url)).toBeUndefined(),
  );

  it.each([
    ['/url', 'a relative address names a file that no edition carries'],
    ['', 'a relative address names a file that no edition carries'],
    ['foo):', 'a relative address names a file that no edition carries'],
    ['localhost:5001/foo', 'readers do not open "localhost:" addresses'],
    ['made-up-scheme://foo,bar', 'readers do not open "made-up-scheme:" addresses'],
    ['https://../', '".." is not a host name'],
    ['https://foo.bar.`baz', '"foo.bar.`baz" is not a host name'],
    ['http://', 'it is not a valid address'],
    ['https://foo.bar:99999', 'it is not a valid address'],
    ['http://a:b@c.com', 'it holds a user name or password'],
    ['https://x.com/%zz', 'a "%" in it is not followed by two hexadecimal digits'],
    ['https://x.com/#a#b', 'it has a second "#"'],
    ['https://ex%41mple.com/', 'its host name is percent-encoded'],
  ])('does not follow "%s": %s', (url, why) => expect(unfollowable(url)).toBe(why));
});

describe('a link no reader could follow', () => {
  it('keeps its text, unlinked, and is reported at its place', () => {
    const { model: m, links, warnings } = model('# Foreword\n\nSee [the *annex*](annex.html) and <https://example.org>.\n');
    expect(links).toEqual(['https://example.org']);
    expect(warnings).toEqual([
      '9:5 warning unsupported-content: the link to "annex.html" cannot be followed in the editions (a relative address names a file that no edition carries); its text is kept, unlinked',
    ]);
    const paragraph = m.allSections[0]!.content[0]!;
    expect(paragraph.type === 'paragraph' && paragraph.children.map((c) => c.type)).toEqual(['text', 'text', 'emphasis', 'text', 'link', 'text']);
  });

  it('is unlinked when written as a reference; of two definitions of one name the first counts', () => {
    const { links, warnings } = model('# Foreword\n\n[a] and [b]\n\n[a]: https://example.org/first\n[a]: /second\n[b]: /relative\n');
    expect(links).toEqual(['[a]']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^9:9 warning unsupported-content: the link to "\/relative" cannot be followed/);
  });
});
