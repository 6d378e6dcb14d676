/**
 * A link's `#fragment` as the ID it names, or an image's URL path as a file path: percent-decoded
 * where it can be. A malformed escape
 * ("%ZZ", "%E0%A4", "%ED%A0%80", half a surrogate) is taken as it stands (decodeURIComponent
 * would throw): it then names no ID, and the link is reported, or unlinked, as any such.
 */
export function percentDecode(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}
