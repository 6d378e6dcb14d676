/**
 * External links the editions can keep. Each edition is complete in itself (one page, one EPUB,
 * one PDF, one DOCX), so a link works only when it names a stable ID of the text (checked in
 * build.ts, and reported here when it names none) or an address a reader's software opens: a relative path names a file no edition
 * carries (epubcheck refuses it), and an address that does not parse or an unknown scheme
 * goes nowhere. Such a link is reported at its place and its text kept, unlinked, in every format.
 */
import type { Definition, Nodes, Parent, PhrasingContent, Root } from 'mdast';
import type { Report } from '../messages.js';

/** Schemes that browsers, e-readers, PDF viewers and Word open (lower case, with the colon). */
const SCHEMES = new Set(['http:', 'https:', 'ftp:', 'mailto:', 'tel:', 'irc:']);
/** Schemes whose addresses name a host, which must be a well-formed domain name. */
const WITH_HOST = new Set(['http:', 'https:', 'ftp:', 'irc:']);
const LABEL = /^[a-z0-9_-]+$/i;

/**
 * Why a reader could not follow `url`, or undefined when it can (fragments are not judged here).
 * `allowed`: schemes the project config adds (`doi`, `urn`), lower case, without the colon.
 */
export function unfollowable(url: string, allowed: readonly string[] = []): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return 'a relative address names a file that no edition carries';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a valid address';
  }
  if (!SCHEMES.has(parsed.protocol) && !allowed.includes(parsed.protocol.slice(0, -1))) return `readers do not open "${parsed.protocol}" addresses`;
  if (WITH_HOST.has(parsed.protocol) && !wellFormedHost(parsed.hostname)) return `"${parsed.hostname}" is not a host name`;
  // What a URL parser forgives but HTML and EPUB do not (the Nu checker and epubcheck refuse them).
  if (parsed.username || parsed.password) return 'it holds a user name or password';
  if (/%(?![0-9a-f]{2})/i.test(url)) return 'a "%" in it is not followed by two hexadecimal digits';
  if (url.indexOf('#') !== url.lastIndexOf('#')) return 'it has a second "#"';
  if (WITH_HOST.has(parsed.protocol) && /^[^:]+:\/\/[^/?#]*%/.test(url)) return 'its host name is percent-encoded';
  return undefined;
}

/** `MAILTO:x@y` -> `mailto:x@y`. */
function lowerScheme(url: string): string {
  const colon = url.indexOf(':');
  return url.slice(0, colon).toLowerCase() + url.slice(colon);
}

/** A domain name whose labels are all non-empty (a final dot is allowed), or an IP address. */
function wellFormedHost(host: string): boolean {
  if (host.startsWith('[')) return true;
  const labels = host.replace(/\.$/, '').split('.');
  return labels.every((label) => LABEL.test(label));
}

/** Why a `#fragment` link goes nowhere, with what to try. */
export interface BrokenFragment {
  message: string;
  hint: string;
}

/**
 * Replaces every link (and reference link) that no reader could follow by its text, with a
 * warning at its place: an address no reader opens, or a fragment that `broken` finds no ID for.
 */
export function unlinkUnfollowable(
  tree: Root,
  definitions: ReadonlyMap<string, Definition>,
  broken: (fragment: string) => BrokenFragment | undefined,
  file: string,
  report: Report,
  allowed: readonly string[] = [],
): void {
  const visit = (parent: Parent): void => {
    parent.children = parent.children.flatMap((child): Nodes[] => {
      if ('children' in child) visit(child);
      const url = child.type === 'link' ? child.url : child.type === 'linkReference' ? definitions.get(child.identifier)?.url : undefined;
      if (url === undefined) return [child];
      const place = child.position?.start;
      if (url.startsWith('#')) {
        const why = broken(url.slice(1));
        if (!why) return [child];
        report.warning('broken-link', why.message, { file, place, hint: why.hint });
      } else {
        const why = unfollowable(url, allowed);
        if (!why) {
          // Schemes are case-insensitive; every reader (and the HTML sanitiser) knows them in lower case.
          if (child.type === 'link') child.url = lowerScheme(url);
          else definitions.get((child as { identifier: string }).identifier)!.url = lowerScheme(url);
          return [child];
        }
        report.warning('unsupported-content', `the link to "${url}" cannot be followed in the editions (${why}); its text is kept, unlinked`, {
          file,
          place,
          hint: 'link to a web address (https://...) or to a stable ID of this text (#iv-2-3)',
        });
      }
      return (child as Parent).children as PhrasingContent[];
    }) as Parent['children'];
  };
  visit(tree);
}
