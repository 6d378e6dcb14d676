/** Reads one source file into an mdast tree and its checked front matter. */
import type { Parent, Root, Yaml } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import type { Point, Report } from '../messages.js';
import { cleanText } from './characters.js';
import { parseInParts, seedDefinitions } from './chunked.js';
import { readReported } from './files.js';
import { frontMatterSchema, type FrontMatter } from './front-matter.js';
import { firstTooDeep, MAX_NESTING, tooDeepToParse } from './nesting.js';
import { readYaml } from './yaml-schema.js';

export interface ParsedSource {
  file: string;
  tree: Root;
  /** Undefined when the front matter is missing or invalid (the report says why). */
  meta: FrontMatter | undefined;
  /** Where a front-matter value stands, for messages about it. */
  locateMeta(path: readonly (string | number)[]): Point;
}

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);
/** The same parser for the parts of a large source (chunked.ts), told the labels the whole text defines. */
const partParser = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkGfm)
  .use(function seed(this: Processor) {
    const data = this.data() as { micromarkExtensions?: unknown[] };
    (data.micromarkExtensions ??= []).push(seedDefinitions);
  });
const fragmentParser = unified().use(remarkParse).use(remarkGfm);

/**
 * A source's text (front matter and Markdown) as mdast; a long one a part at a time (chunked.ts),
 * into the same tree. `chunk`: about how long a part is (tests make it short).
 */
export function parseDocument(text: string, chunk?: number): Root {
  return parseInParts(text, parser, partParser, chunk);
}

/** Markdown without front matter (a briefing packet's key points and background). */
export function parseMarkdown(text: string): Root {
  return fragmentParser.parse(text);
}

/**
 * What a Markdown template (`*.md.hbs`) renders to. Its values are plain text (the template
 * engine escapes their Markdown), but GFM turns a bare web address into a link after escapes are
 * read: a title or an editorial note that holds one would be a link in the PDF and the DOCX and
 * plain text in the HTML. Only a link the template itself writes, `[text](url)` or `<url>`, stays.
 */
export function parseTemplateMarkdown(text: string): Root {
  const tree = fragmentParser.parse(text);
  const visit = (node: Parent): void => {
    node.children = node.children.flatMap((child) => {
      if ('children' in child) visit(child);
      const written = child.position && text[child.position.start.offset!];
      return child.type === 'link' && written !== '[' && written !== '<' ? child.children : [child];
    }) as Parent['children'];
  };
  visit(tree);
  return tree;
}

/**
 * Parses Markdown text; `file` is used for positions in messages only. Characters that no
 * edition can carry are reported at their place and left out (characters.ts).
 */
export function parseSource(text: string, file: string, report: Report): ParsedSource {
  const clean = cleanText(text, { file, severity: 'warning', what: 'the source' }, report);
  const tree = parseDocument(checkNesting(clean, file, report));
  const deep = firstTooDeep(tree);
  if (deep) reportTooDeep(file, deep.position?.start, report, false);
  const first = tree.children[0];
  if (first?.type !== 'yaml') {
    report.error('front-matter-schema', 'the file has no front matter', {
      file,
      place: { line: 1, column: 1 },
      hint: 'start the file with a block between two "---" lines holding at least title, issuer, issued and language',
    });
    return { file, tree, meta: undefined, locateMeta: () => ({ line: 1, column: 1 }) };
  }
  const yamlNode = first as Yaml;
  const checked = readYaml(
    {
      text: yamlNode.value,
      file,
      firstLine: (yamlNode.position?.start.line ?? 1) + 1,
      report,
      rules: { syntax: 'front-matter-yaml', schema: 'front-matter-schema' },
      what: 'front matter',
    },
    frontMatterSchema,
  );
  tree.children.shift();
  return { file, tree, meta: checked.value, locateMeta: (path) => checked.locate(path) };
}

/**
 * The text up to the line that nests too deep to parse (all of it when none does). The rest
 * stands as one plain paragraph, so that its section is not also reported empty.
 */
function checkNesting(text: string, file: string, report: Report): string {
  const deep = tooDeepToParse(text);
  if (!deep) return text;
  reportTooDeep(file, deep.place, report, true);
  return `${text.slice(0, deep.lineStart)}\n\n(not read)\n`;
}

function reportTooDeep(file: string, place: Point | undefined, report: Report, cut: boolean): void {
  report.error('nesting-depth', `block quotes and lists nest more than ${MAX_NESTING} levels deep here`, {
    file,
    ...(place && { place }),
    hint: `no edition can set text this deep: flatten the quotes or lists${cut ? ' (the file is not read past this line)' : ''}`,
  });
}

/** Reads and parses a source file; one that cannot be read is reported, and has no text. */
export async function readSource(file: string, report: Report): Promise<ParsedSource> {
  const text = readReported(file, 'source file', report);
  if (text === undefined) return { file, tree: { type: 'root', children: [] }, meta: undefined, locateMeta: () => ({ line: 1, column: 1 }) };
  return parseSource(text, file, report);
}
