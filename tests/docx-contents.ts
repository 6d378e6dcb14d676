/** Reading a DOCX's contents back against LibreOffice's rendering of it (tests' own helper). */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { run } from './helpers.js';

export interface ContentsEntry {
  anchor: string;
  /** The page number cached in the entry's PAGEREF field: our layout's. */
  printed: number;
  /** The page of LibreOffice's PDF that sets the entry's heading (0: not found). */
  set: number;
}

/**
 * Each contents entry of a DOCX: the page number cached in its PAGEREF, and the page of
 * LibreOffice's PDF that sets its heading (the first page after the contents, from the
 * previous heading's, whose text holds the heading's first 20 characters, spaces left out).
 */
export function contentsAgainstPages(docx: string, pdf: string): ContentsEntry[] {
  const xml = new TextDecoder().decode(unzipSync(readFileSync(docx))['word/document.xml']!);
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  const unescape = (s: string) => s.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const pages = run('pdftotext', ['-layout', pdf, '-']).split('\f');
  const contentsPages = pages.flatMap((p, i) => (/\.{8,}/.test(p) ? [i] : []));
  let from = Math.max(...contentsPages) + 1;
  return [...xml.matchAll(/<w:hyperlink w:anchor="([^"]+)"[^>]*>(.*?)<\/w:hyperlink>/g)].flatMap((m) => {
    const number = /PAGEREF \S+ \\h <\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><\/w:r><w:r>(?:<w:rPr>(?:(?!<\/w:r>).)*?<\/w:rPr>)?<w:t>(\d+)<\/w:t>/.exec(m[2]!);
    if (!number) return [];
    const text = unescape([...m[2]!.split('<w:tab/>')[0]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
    const key = squeeze(text).slice(0, 20);
    const at = pages.findIndex((p, i) => i >= from && squeeze(p).includes(key));
    if (at >= 0) from = at;
    return [{ anchor: m[1]!, printed: Number(number[1]), set: at + 1 }];
  });
}
