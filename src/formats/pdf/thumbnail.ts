/**
 * A picture of a PDF's first page, drawn as SVG from the same layout the PDF was drawn from:
 * every line at its place and size, in a generic family (the catalogue page shows it small).
 */
import { escapeAttribute, escapeText } from '../../shared/xml.js';
import type { PageLayout } from './paginate.js';

export function firstPageSvg(page: PageLayout, size: [number, number], left: number, textColor: string): string {
  const [w, h] = size;
  const texts: string[] = [];
  for (const p of page.placements) {
    let y = p.y;
    for (let i = p.from; i < p.to; i++) {
      const line = p.block.lines[i]!;
      let x = left + p.block.x;
      for (const f of line.frags) {
        const family = f.span.font.startsWith('sans') ? 'sans-serif' : f.span.font.startsWith('mono') ? 'monospace' : 'serif';
        const weight = f.span.font.includes('bold') || f.span.font.includes('Bold') ? ' font-weight="bold"' : '';
        texts.push(
          `<text x="${round(x)}" y="${round(y + line.ascent)}" font-family="${family}" font-size="${round(f.span.size)}" fill="${escapeAttribute(f.span.color || textColor)}"${weight}>${escapeText(f.text)}</text>`,
        );
        x += f.width + f.spaces * line.extraPerSpace;
      }
      y += line.height;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(w)} ${round(h)}" width="${round(w)}" height="${round(h)}"><rect width="100%" height="100%" fill="#ffffff"/>${texts.join('')}</svg>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
