/** Escaping for XML text and attribute values, shared by every format that writes XML (XHTML, OOXML, SVG). */

/** `s` as XML character data. */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `s` as a double-quoted XML attribute value. */
export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}
