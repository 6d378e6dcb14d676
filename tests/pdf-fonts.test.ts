/**
 * Fonts are parsed once per build and shared by its PDFs: what one document's subset does to the
 * shared font must not change the next document's text layer.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPoppler, run, runCli, tempDir } from './helpers.js';

const doc = (title: string, code: string) => `---\ntitle: ${title}\nissuer: The Test Office\nissued: 2020-01-31\nlanguage: en\n---\n\n# One\n\nCode: \`${code}\`\n`;

describe.skipIf(!hasPoppler())('a font shared by two PDFs of one build', () => {
  it('keeps a period in the second when the first set a colon (whose glyph is built of periods)', () => {
    const src = path.join(tempDir(), 'source');
    for (const [id, code] of [['a', 'key:value'], ['b', 'file.name']]) {
      mkdirSync(path.join(src, id), { recursive: true });
      writeFileSync(path.join(src, id, 'paper.en.md'), doc(id.toUpperCase(), code!));
    }
    const out = path.join(src, '..', 'dist');
    expect(runCli(['build', src, '--out', out, '--format', 'pdf', '-q']).status).toBe(0);
    expect(run('pdftotext', [path.join(out, 'a', 'a.en.pdf'), '-'])).toContain('Code: key:value');
    expect(run('pdftotext', [path.join(out, 'b', 'b.en.pdf'), '-'])).toContain('Code: file.name');
  });
});
