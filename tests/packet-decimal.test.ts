/**
 * A briefing packet over a document numbered in decimals (1.1, 2.3.1): its headings cite the
 * whole number once in each language ("2.1 Primera conclusión"), however the translation
 * prints it, and its IDs stay the document's.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers.js';

const WHITE_PAPER = path.join(ROOT, 'tests', 'fixtures', 'corpus', 'white-paper');
const PACKET = `title:
  en: "Findings"
  es: "Conclusiones"
purpose:
  en: "To test decimal numbers in packet headings."
  es: "Comprobar los números decimales en los títulos de un dosier."
audience:
  en: "Tests."
  es: "Pruebas."
date: 2026-12-01
classification:
  en: "Unclassified"
  es: "Sin clasificar"
languages: [en, es]
sections:
  - document: white-paper
    ids: ["2"]
key-points:
  - en: "Two findings (2.1, 2.2)."
    es: "Dos conclusiones (2.1, 2.2)."
`;

let html: string;
beforeAll(() => {
  const src = path.join(tempDir(), 'source');
  cpSync(WHITE_PAPER, path.join(src, 'white-paper'), { recursive: true });
  mkdirSync(path.join(src, 'packets'));
  writeFileSync(path.join(src, 'packets', 'findings.yaml'), PACKET);
  const out = path.join(src, '..', 'dist');
  const r = runCli(['build', src, '--out', out, '--format', 'html', '-q']);
  expect(r.status, r.stderr).toBe(0);
  html = readFileSync(path.join(out, 'packets', 'findings.en+es.html'), 'utf8');
});

describe('a packet over decimal-numbered sections', () => {
  it('cites each heading by its whole number once, in both languages', () => {
    const headings = [...html.matchAll(/<h(\d)>([^<]+)<\/h\1>/g)].map((m) => m[2]);
    for (const h of ['2 Findings', '2.1 First Finding', '2.2 Second Finding', '2 Conclusiones', '2.1 Primera conclusión', '2.2 Segunda conclusión']) expect(headings).toContain(h);
    expect(headings.filter((h) => /^2\.\d \d/.test(h!))).toEqual([]);
  });

  it('keeps the document\'s stable IDs', () => {
    for (const id of ['2', '2-1', '2-2']) expect(html).toContain(`<section id="${id}">`);
  });
});
