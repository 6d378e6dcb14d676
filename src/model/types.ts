/** The document model every renderer reads: a section tree with stable IDs over mdast content. */
import type { Definition, FootnoteDefinition, Heading, Nodes, RootContent } from 'mdast';
import type { FrontMatter } from '../source/front-matter.js';
import type { ImageAsset } from './images.js';

declare module 'mdast' {
  interface Data {
    /** The stable ID of a block (`iv-2-3-p1`), set by the model. */
    id?: string;
    /** Set flush left, never justified (a glossary's terms). */
    ragged?: boolean;
  }
}

export interface Section {
  /** Stable ID derived from the numbering: `foreword`, `iv`, `iv-2`, `iv-2-3`. */
  id: string;
  /** 1 for `#`, 2 for `##`, ... */
  depth: number;
  /** The number as printed, with its punctuation ("IV.", "2.", "(3)"), or null. */
  number: string | null;
  /** The heading text after the number. */
  title: string;
  /** The whole heading text as printed ("IV. Strengthen ..."). */
  text: string;
  /** How a reader cites it: "IV.2.(3)" from its own and its parents' numbers; the title when unnumbered. */
  citation: string;
  /**
   * Absent for the preamble: the text before a document's first heading (a memo's opening, a
   * brief with no headings at all). It is the first of `sections`, ID `preamble`, and has no
   * entry in contents, bookmarks or running heads.
   */
  heading?: Heading;
  /** Content between this heading and the first subsection, as mdast nodes. */
  content: RootContent[];
  children: Section[];
}

/** A paragraph-like block with a stable ID (`iv-2-3-p1`): what translations align on. */
export interface Block {
  id: string;
  sectionId: string;
  node: RootContent;
  /** What it is, for comparing a translation with the original: "paragraph", "list item paragraph", ... */
  kind: string;
  /** In a list: its item's number (or bullet), and whether it is the item's first block. */
  item?: { ordered: boolean; number: number; first: boolean };
}

export interface DocumentModel {
  /** The document folder's name (`china-lac-policy`). */
  id: string;
  /** The source file this model was built from. */
  file: string;
  /** BCP 47 tag of the text. */
  lang: string;
  meta: FrontMatter;
  sections: Section[];
  /** Every section in reading order. */
  allSections: Section[];
  /** Every block with an ID, in reading order. */
  blocks: Block[];
  footnotes: FootnoteDefinition[];
  /** Link and image definitions (`[id]: url`), by identifier. */
  definitions: Map<string, Definition>;
  /** The images the text uses, keyed by the URL as written. */
  images: Map<string, ImageAsset>;
  /** URI schemes a link may use beyond the built-in ones (links.ts), as the project config allows. */
  linkSchemes: readonly string[];
  /** For a translation: the model of the text it was made from. */
  canonical?: DocumentModel;
  /** For a translation: its `{.untranslated}` placeholders (placeholders.ts), by the ID of the block each holds. */
  placeholders?: Map<string, Block>;
  /**
   * For a translation whose original has been renumbered since it was accepted (renumbering.ts):
   * the ID its record names each segment by, where that is not the ID it now has.
   */
  recordIds?: Map<string, string>;
  /** For such a translation: where each recorded ID of the original now stands (undefined: its text is gone). */
  moves?: ReadonlyMap<string, string | undefined>;
  /** For such a translation: its headings and blocks whose recorded text the original no longer has. */
  orphans?: Orphan[];
  /**
   * For such a translation: its headings and blocks aligned by the record, not by their place, which
   * an accept would settle wrongly (a new record holds the present IDs, and they pair by place again).
   */
  unsettled?: Unsettled[];
  /** A briefing packet: what its cover says besides the title. */
  packet?: PacketInfo;
  /** A briefing packet: the documents (in its language) whose sections it gathers. */
  sources?: DocumentModel[];
}

/** A translated heading or block made from a text the original no longer has. */
export interface Orphan {
  /** The ID it was accepted under. */
  recordId: string;
  node: RootContent;
  /** The original's text it was translated from, when the record keeps it. */
  text?: string;
}

/**
 * What of a translation holds only by the renumbering: a heading or block it places under `now`
 * (undefined: an orphan) where its place alone would give it `byPosition`; a heading printing the
 * number `now`'s had when accepted; a link to `byPosition` it points at `now`.
 */
export interface Unsettled {
  why: 'place' | 'number' | 'link';
  node: Nodes;
  now: string | undefined;
  byPosition: string | undefined;
}

export interface PacketInfo {
  purpose: string;
  audience: string;
  classification: string;
  preparedBy: string | null;
  /** "English and Spanish" */
  languages: string;
}
