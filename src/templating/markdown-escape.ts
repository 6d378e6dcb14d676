/**
 * Escaping for Markdown templates (`*.md.hbs`). Handlebars escapes `{{value}}` for HTML, which
 * in Markdown leaves `*`, `_`, `[` and `#` live. The template's escaped mustaches are rewritten
 * to pass through the `markdown` helper instead, which backslash-escapes every ASCII punctuation
 * character (CommonMark takes each back as itself). `{{{value}}}` stays raw, and a helper that
 * returns Markdown of its own (`url`) says so with a SafeString.
 */
import type Handlebars from 'handlebars';

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** `text` as Markdown that reads back as exactly `text`: punctuation escaped, line breaks as spaces. */
export function markdownText(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(PUNCTUATION, '\\$&');
}

/** Rewrites every escaped `{{...}}` of `ast` (blocks included) to go through the `markdown` helper. */
export function escapeForMarkdown(ast: hbs.AST.Program, hb: typeof Handlebars): void {
  const rewrite = (program: hbs.AST.Program | undefined): void => {
    if (!program) return;
    program.body = program.body.map((node) => {
      if (node.type === 'BlockStatement') {
        const block = node as hbs.AST.BlockStatement;
        rewrite(block.program);
        rewrite(block.inverse);
        return node;
      }
      if (node.type !== 'MustacheStatement') return node;
      const m = node as hbs.AST.MustacheStatement;
      if (!m.escaped) return node;
      const path = m.path as hbs.AST.PathExpression;
      // `{{title}}` is a value; `{{t "x"}}` and `{{date issued}}` are helper calls.
      const isCall = m.params.length > 0 || m.hash !== undefined || (path.type === 'PathExpression' && path.original in hb.helpers);
      const value: hbs.AST.Expression = isCall
        ? ({ type: 'SubExpression', path: m.path, params: m.params, hash: m.hash, loc: m.loc } as hbs.AST.SubExpression)
        : m.path;
      const helper: hbs.AST.PathExpression = { type: 'PathExpression', data: false, depth: 0, parts: ['markdown'], original: 'markdown', loc: m.loc };
      return { ...m, path: helper, params: [value], hash: undefined as unknown as hbs.AST.Hash, escaped: false } as hbs.AST.MustacheStatement;
    });
  };
  rewrite(ast);
}
