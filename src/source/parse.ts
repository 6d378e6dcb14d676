/** Reads one source file into an mdast tree and its checked front matter. */
import { readFile } from 'node:fs/promises';
import type { Root, Yaml } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Point, Report } from '../messages.js';
import { frontMatterSchema, type FrontMatter } from './front-matter.js';
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
const fragmentParser = unified().use(remarkParse).use(remarkGfm);

/** Markdown without front matter (what a furniture template renders to). */
export function parseMarkdown(text: string): Root {
  return fragmentParser.parse(text);
}

/** Parses Markdown text; `file` is used for positions in messages only. */
export function parseSource(text: string, file: string, report: Report): ParsedSource {
  const tree = parser.parse(text);
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

export async function readSource(file: string, report: Report): Promise<ParsedSource> {
  return parseSource(await readFile(file, 'utf8'), file, report);
}
