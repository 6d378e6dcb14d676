declare module 'linebreak' {
  /** Unicode line breaking (UAX #14), the library pdfkit itself uses. */
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): { position: number; required: boolean } | null;
  }
}

declare module 'hyphen/en-gb/index.js' {
  const patterns: { hyphenateSync(text: string, options?: { hyphenChar?: string; minWordLength?: number }): string };
  export default patterns;
}
declare module 'hyphen/en-us/index.js' {
  const patterns: { hyphenateSync(text: string, options?: { hyphenChar?: string; minWordLength?: number }): string };
  export default patterns;
}
declare module 'hyphen/es/index.js' {
  const patterns: { hyphenateSync(text: string, options?: { hyphenChar?: string; minWordLength?: number }): string };
  export default patterns;
}
