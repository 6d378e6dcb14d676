/** The print edition's block handlers, on nodes no Markdown of ours makes. */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { FlowBuilder } from '../src/formats/pdf/blocks.js';
import { FontBook } from '../src/formats/pdf/fonts.js';
import { loadTheme } from '../src/theme/theme.js';
import { Report } from '../src/messages.js';
import { Templates } from '../src/templating/engine.js';

function builderWith(report: Report): FlowBuilder {
  const theme = loadTheme(new Templates([]));
  const doc = new PDFDocument({ autoFirstPage: false });
  return new FlowBuilder({
    fonts: new FontBook(doc, theme),
    theme,
    report,
    linkSchemes: [],
    lang: 'en',
    definitions: new Map(),
    contentWidth: 400,
    contentHeight: 600,
    images: new Map(),
    openImage: () => undefined,
  });
}

const origin = { file: '/docs/paper.en.md', place: (node: { position?: { start: { line: number; column: number } } }) => node.position && { line: node.position.start.line, column: node.position.start.column } };

describe('a block of a type the print edition has no handler for', () => {
  it('is reported at its place as unsupported content, not dropped in silence', () => {
    const report = new Report();
    const builder = builderWith(report);
    const math = { type: 'math', value: 'E = mc^2', position: { start: { line: 12, column: 1, offset: 0 }, end: { line: 14, column: 3, offset: 20 } } };
    builder.block(math as never, [], 0, origin as never);
    expect(builder.blocks).toHaveLength(0);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', ruleId: 'unsupported-content', message: 'a block of type "math" is not set in the PDF and is left out', file: '/docs/paper.en.md', place: { line: 12, column: 1 } }),
    ]);
  });
});

describe('an inline node of a type the print edition has no handler for', () => {
  it('keeps its text when it has some, and is reported when it has none', () => {
    const report = new Report();
    const builder = builderWith(report);
    const at = (line: number) => ({ start: { line, column: 5, offset: 0 }, end: { line, column: 9, offset: 4 } });
    const paragraph = {
      type: 'paragraph',
      children: [
        { type: 'text', value: 'Before ' },
        { type: 'inlineMath', value: 'x^2', position: at(3) },
        { type: 'editionsMarker', position: at(4) },
        { type: 'text', value: ' after.' },
      ],
    };
    builder.block(paragraph as never, [], 0, origin as never);
    const text = builder.blocks.flatMap((b) => b.lines.flatMap((l) => l.frags.map((f) => f.text))).join('');
    expect(text.replace(/\s+/g, ' ')).toContain('Before x^2 after.');
    expect(report.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', ruleId: 'unsupported-content', message: 'an inline node of type "editionsMarker" is not set in the PDF and is left out', place: { line: 4, column: 5 } }),
    ]);
  });
});
