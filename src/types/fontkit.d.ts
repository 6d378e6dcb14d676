/** The fontkit calls the print edition makes (fontkit ships no types). */
declare module 'fontkit' {
  /** Parses a TrueType or OpenType font; its tables are read lazily. */
  export function create(
    buffer: Uint8Array,
    postscriptName?: string,
  ): { layout(text: string): unknown; hasGlyphForCodePoint(codePoint: number): boolean; familyName: string };
}
