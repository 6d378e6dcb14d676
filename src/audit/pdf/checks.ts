/**
 * The machine checks of a PDF's accessibility: each one names the failure conditions of the
 * Matterhorn Protocol 1.1 (PDF Association, 2021) it decides, and says in its comment exactly
 * what it decides and what it leaves to a human. Passing them all is not conformance to PDF/UA-1:
 * nearly half of Matterhorn's conditions need a human (reading order, whether alternative text
 * describes the figure, whether a heading is a heading), and the checks cover only what our PDFs
 * can contain (no forms, no multimedia, no optional content, no embedded files, no encryption).
 *
 * The condition numbers were taken from a transcription of Matterhorn 1.1's table of failure
 * conditions (its wording and M/H marks), not from the PDF Association's document itself: check
 * them there before citing one. 02-002 (H) and 02-003 (M, circular mapping) are as 1.1 numbers them.
 */
import { asArray, asDict, asName, asNumber, asText, isRef, resolve, STANDARD_TYPES, type Dict, type Json, type LoadedPdf, type StructElement } from './read.js';

export interface Finding {
  check: string;
  message: string;
  /** From 1, when the problem is on a page. */
  page?: number;
  /** The object or structure element it concerns: "12 0 R", "Figure 12 0 R". */
  object?: string;
}

export interface Check {
  title: string;
  /** The Matterhorn Protocol 1.1 failure conditions it decides. */
  matterhorn: readonly string[];
  /** What is left to a human (README "Accessibility checks"). */
  human: string;
  run(pdf: LoadedPdf): Omit<Finding, 'check'>[];
}

/** At most this many findings of one kind on one page: one untagged run shows the fault, a thousand hide the others. */
const PER_PAGE = 3;

const el = (e: StructElement) => `${e.type} ${e.ref}`;

/** The page an element's content is on: its /Pg, or its first marked content's page. */
function pageOf(pdf: LoadedPdf, e: StructElement): number | undefined {
  for (let x: StructElement | null = e; x; x = x.parent) {
    const pg = isRef(x.dict['/Pg']) ? (x.dict['/Pg'] as string) : x.mcids[0]?.page;
    if (pg) return pdf.pageByRef.get(pg)?.number;
  }
  return undefined;
}

/** Every (page, MCID) the structure tree refers to, as "12 0 R#3". */
function referencedMcids(pdf: LoadedPdf): Map<string, StructElement> {
  const map = new Map<string, StructElement>();
  for (const e of pdf.elements) for (const m of e.mcids) if (m.page) map.set(`${m.page}#${m.mcid}`, e);
  return map;
}

/** An element's attribute dictionaries of owner `owner` (/A: a dictionary, a reference, or an array of them with revision numbers). */
function attributes(pdf: LoadedPdf, e: StructElement, owner: string): Dict[] {
  return asArray(pdf, e.dict['/A'])
    .map((a) => asDict(pdf, a))
    .filter((a): a is Dict => a !== null && asName(pdf, a['/O']) === owner);
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_LANG = /^(zh|ja|ko)(-|$)/i;
/** Latin-script prose: three words or more of Latin letters (a URL, a code or a name is not). */
const latinProse = (text: string) => text.split(/\s+/).filter((w) => /^[\p{P}]*\p{Script=Latin}[\p{Script=Latin}\p{M}'’-]*[\p{P}]*$/u.test(w)).length >= 3;
/** A well-formed BCP 47 tag, as far as its shape goes (RFC 5646, 2.1). */
const BCP47 = /^([a-z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4,8})(-[a-z]{4})?(-([a-z]{2}|\d{3}))?(-([a-z\d]{5,8}|\d[a-z\d]{3}))*(-[a-wyz\d](-[a-z\d]{2,8})+)*(-x(-[a-z\d]{1,8})+)?$|^x(-[a-z\d]{1,8})+$/i;

export const CHECKS: Record<string, Check> = {
  /**
   * The structure tree is present and whole: the catalog has a /StructTreeRoot and /MarkInfo
   * /Marked true, /Suspects is not true; every kid of an element is an element, a marked-content
   * reference or an object reference, and no element is reached twice; every page whose content
   * uses MCIDs has /StructParents, and the ParentTree maps each (page, MCID) and each annotation's
   * /StructParent back to the element that holds it. Left to a human: whether the elements are
   * the right ones (01-006, 09-001 to 09-003).
   */
  'pdf-struct-tree': {
    title: 'the structure tree is present and complete',
    matterhorn: ['01-007'],
    human: 'whether the tags are the right ones and in reading order (01-006, 09-001 to 09-003)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      if (!pdf.structRoot) return [{ message: 'the catalog has no /StructTreeRoot: the PDF is not tagged' }];
      const mark = asDict(pdf, pdf.catalog['/MarkInfo']);
      if (resolve(pdf, mark?.['/Marked']) !== true) out.push({ message: 'the catalog\'s /MarkInfo does not have /Marked true' });
      if (resolve(pdf, mark?.['/Suspects']) === true) out.push({ message: '/MarkInfo has /Suspects true (Matterhorn 01-007)' });
      if (pdf.elements.length === 0) out.push({ message: 'the structure tree has no elements' });
      for (const p of pdf.treeProblems) out.push({ message: p });
      for (const e of pdf.elements) if (!e.type) out.push({ message: 'a structure element has no /S (structure type)', object: e.ref });
      // The ParentTree, page by page, and annotation by annotation.
      const holders = new Map<string, StructElement>();
      for (const e of pdf.elements) for (const m of e.mcids) if (m.page) holders.set(`${m.page}#${m.mcid}`, e);
      for (const page of pdf.pages) {
        const mcids = new Set(page.painted.flatMap((p) => p.within.filter((w) => w.mcid !== null).map((w) => w.mcid!)));
        if (mcids.size === 0) continue;
        const key = asNumber(pdf, page.dict['/StructParents']);
        if (key === null) {
          out.push({ message: 'the page\'s content has marked content with MCIDs, but the page has no /StructParents', page: page.number, object: page.ref });
          continue;
        }
        const entry = asArray(pdf, pdf.parentTree.get(key));
        let missing = 0;
        for (const mcid of [...mcids].sort((a, b) => a - b)) {
          const holder = holders.get(`${page.ref}#${mcid}`);
          const listed = entry[mcid];
          if (!holder || !isRef(listed) || listed !== holder.ref) {
            if (missing++ < PER_PAGE) out.push({ message: holder ? `the ParentTree (key ${key}) does not map MCID ${mcid} to its element ${el(holder)}` : `MCID ${mcid} is in no structure element`, page: page.number, object: page.ref });
          }
        }
      }
      for (const e of pdf.elements) {
        for (const obj of e.objrs) {
          const key = asNumber(pdf, asDict(pdf, obj)?.['/StructParent']);
          if (key === null) out.push({ message: `${obj}, an object reference of ${el(e)}, has no /StructParent`, object: obj, ...(pageOf(pdf, e) && { page: pageOf(pdf, e) }) });
          else if (pdf.parentTree.get(key) !== e.ref) out.push({ message: `the ParentTree (key ${key}) does not map ${obj} back to ${el(e)}`, object: obj });
        }
      }
      return out;
    },
  },

  /**
   * Every content item is tagged or an artifact: every text-showing, path-painting, image and
   * shading operator of every page's content (with the form XObjects it draws, as pdfjs inlines
   * them) lies inside a marked-content sequence that is an /Artifact or has an MCID that a
   * structure element refers to (01-005); no artifact lies inside tagged content (01-003) and no
   * tagged content inside an artifact (01-004). Limits: a BDC whose properties are a named
   * resource counts as having no MCID; annotation appearance streams are not page content.
   * Left to a human: whether what is tagged is real content and what is an artifact is not
   * (01-001, 01-002).
   */
  'pdf-tagged-content': {
    title: 'every content item is tagged or is an artifact',
    matterhorn: ['01-003', '01-004', '01-005'],
    human: 'whether artifacts are truly artifacts and tagged content real content (01-001, 01-002)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      const referenced = referencedMcids(pdf);
      for (const page of pdf.pages) {
        const counts = { untagged: 0, artifactInTagged: 0, taggedInArtifact: 0, unreferenced: 0 };
        const say = (kind: keyof typeof counts, message: string) => {
          if (counts[kind]++ < PER_PAGE) out.push({ message, page: page.number, object: page.ref });
        };
        for (const p of page.painted) {
          const artifact = p.within.findIndex((w) => w.tag === 'Artifact');
          const tagged = p.within.findIndex((w) => w.mcid !== null && w.tag !== 'Artifact');
          if (artifact < 0 && tagged < 0) say('untagged', `a ${p.kind} operator lies in no marked-content sequence that is tagged (with an MCID) or an Artifact (Matterhorn 01-005)`);
          else if (artifact >= 0 && tagged >= 0) {
            if (tagged < artifact) say('artifactInTagged', `an Artifact lies inside tagged content (MCID ${p.within[tagged]!.mcid}) (Matterhorn 01-003)`);
            else say('taggedInArtifact', `tagged content (MCID ${p.within[tagged]!.mcid}) lies inside an Artifact (Matterhorn 01-004)`);
          } else if (tagged >= 0) {
            const mcid = p.within[tagged]!.mcid!;
            if (!referenced.has(`${page.ref}#${mcid}`)) say('unreferenced', `MCID ${mcid} (${p.within[tagged]!.tag}) is in no structure element: its ${p.kind} is not tagged (Matterhorn 01-005)`);
          }
        }
        for (const [kind, n] of Object.entries(counts)) if (n > PER_PAGE) out.push({ message: `and ${n - PER_PAGE} more of that kind (${kind}) on this page`, page: page.number });
      }
      return out;
    },
  },

  /**
   * Headings nest: the numbered headings (H1, H2, … after role mapping), in document order,
   * begin with H1 (14-002) and never go down more than one level at a time (14-003: H3 straight
   * after H1); no element has more than one H kid (14-006); H and Hn are not both used (14-007).
   * Going up any number of levels is allowed. Left to a human: whether every heading is tagged
   * as one (14-001) and the levels fit the content (14-004, 14-005).
   */
  'pdf-headings': {
    title: 'headings nest properly',
    matterhorn: ['14-002', '14-003', '14-006', '14-007'],
    human: 'whether every heading is tagged as a heading, at the level it has (14-001, 14-004, 14-005)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      const numbered = pdf.elements.filter((e) => /^H[1-9]\d*$/.test(e.role));
      const plain = pdf.elements.filter((e) => e.role === 'H');
      let previous = 0;
      for (const h of numbered) {
        const level = Number(h.role.slice(1));
        if (previous === 0 && level !== 1) out.push({ message: `the first heading is ${h.role}, not H1 (Matterhorn 14-002)`, object: h.ref, ...(pageOf(pdf, h) && { page: pageOf(pdf, h) }) });
        else if (previous > 0 && level > previous + 1) out.push({ message: `${h.role} follows H${previous}: heading levels are skipped (Matterhorn 14-003)`, object: h.ref, ...(pageOf(pdf, h) && { page: pageOf(pdf, h) }) });
        previous = level;
      }
      for (const e of pdf.elements) {
        const hs = e.kids.filter((k) => k.role === 'H');
        if (hs.length > 1) out.push({ message: `${el(e)} has ${hs.length} H kids (Matterhorn 14-006)`, object: e.ref });
      }
      if (plain.length > 0 && numbered.length > 0) out.push({ message: `both H (${plain.length}) and numbered headings (${numbered.length}) are used (Matterhorn 14-007)` });
      return out;
    },
  },

  /**
   * Tables, lists and tables of contents are built as ISO 32000-1 says (Tables 333, 336, 337;
   * 09-004 to 09-006), on the types after role mapping, with the rules veraPDF checks for
   * PDF/UA-1 7.2: a Table holds only TR, THead, TBody, TFoot and Caption, at most one THead and
   * one TFoot, and a TBody when it has either; a TR sits in a Table, THead, TBody or TFoot and
   * holds only TH and TD; a TH or TD sits in a TR; THead, TBody and TFoot sit in a Table. An L
   * holds only L, LI and a first Caption; an LI sits in an L and holds only Lbl and LBody; an LBody
   * sits in an LI. A TOC holds only TOC, TOCI and a first Caption; a TOCI sits in a TOC and holds
   * only Reference, P, Lbl, TOC and NonStruct. Not decided: whether cells overlap (rows and
   * column spans), Ruby and Warichu (09-007, 09-008: we make none).
   */
  'pdf-structure-syntax': {
    title: 'tables, lists and contents are built as ISO 32000-1 says',
    matterhorn: ['09-004', '09-005', '09-006'],
    human: 'whether the structure fits the content (09-002, 09-003); whether table cells overlap',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      const say = (e: StructElement, message: string, condition: string) => out.push({ message: `${el(e)} ${message} (Matterhorn ${condition})`, object: e.ref, ...(pageOf(pdf, e) && { page: pageOf(pdf, e) }) });
      const only = (e: StructElement, allowed: string[], condition: string, captionFirst = false) => {
        const kids = e.kids.map((k) => k.role);
        const bad = kids.filter((k, i) => !allowed.includes(k) && !(captionFirst && k === 'Caption' && i === 0));
        if (bad.length > 0) say(e, `holds ${[...new Set(bad)].join(', ')}, where only ${allowed.join(', ')}${captionFirst ? ' and a first Caption' : ''} may be`, condition);
      };
      const within = (e: StructElement, parents: string[], condition: string) => {
        if (!e.parent || !parents.includes(e.parent.role)) say(e, `is in ${e.parent ? el(e.parent) : 'the StructTreeRoot'}, not in ${parents.join(' or ')}`, condition);
      };
      for (const e of pdf.elements) {
        const kids = e.kids.map((k) => k.role);
        const count = (t: string) => kids.filter((k) => k === t).length;
        switch (e.role) {
          case 'Table':
            only(e, ['TR', 'THead', 'TBody', 'TFoot', 'Caption'], '09-004');
            if (count('THead') > 1 || count('TFoot') > 1) say(e, 'has more than one THead or TFoot', '09-004');
            if ((count('THead') > 0 || count('TFoot') > 0) && count('TBody') === 0) say(e, 'has a THead or TFoot but no TBody', '09-004');
            break;
          case 'TR':
            within(e, ['Table', 'THead', 'TBody', 'TFoot'], '09-004');
            only(e, ['TH', 'TD'], '09-004');
            break;
          case 'TH':
          case 'TD':
            within(e, ['TR'], '09-004');
            break;
          case 'THead':
          case 'TBody':
          case 'TFoot':
            within(e, ['Table'], '09-004');
            break;
          case 'L':
            only(e, ['L', 'LI'], '09-005', true);
            break;
          case 'LI':
            within(e, ['L'], '09-005');
            only(e, ['Lbl', 'LBody'], '09-005');
            break;
          case 'LBody':
            within(e, ['LI'], '09-005');
            break;
          case 'TOC':
            only(e, ['TOC', 'TOCI'], '09-006', true);
            break;
          case 'TOCI':
            within(e, ['TOC'], '09-006');
            only(e, ['Reference', 'P', 'Lbl', 'TOC', 'NonStruct'], '09-006');
            break;
        }
      }
      return out;
    },
  },

  /**
   * Figures and formulas have alternative text: every element whose type is Figure (13-004) or
   * Formula (17-002) after role mapping has a non-empty /Alt, or /ActualText. Left to a human:
   * whether the text describes the figure (13-005 to 13-008), and whether every meaningful
   * graphic is a Figure (13-001).
   */
  'pdf-figure-alt': {
    title: 'figures and formulas have alternative text',
    matterhorn: ['13-004', '17-002'],
    human: 'whether the alternative text describes the figure, and every meaningful graphic is a Figure (13-001, 13-005 to 13-008)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      for (const e of pdf.elements) {
        if (e.role !== 'Figure' && e.role !== 'Formula') continue;
        const alt = (asText(pdf, e.dict['/Alt']) ?? '').trim() || (asText(pdf, e.dict['/ActualText']) ?? '').trim();
        if (!alt) out.push({ message: `${el(e)} has no alternative text (/Alt) (Matterhorn ${e.role === 'Figure' ? '13-004' : '17-002'})`, object: e.ref, ...(pageOf(pdf, e) && { page: pageOf(pdf, e) }) });
      }
      return out;
    },
  },

  /**
   * Table headers have a scope: in every Table none of whose cells has a /Headers attribute
   * (a table not organized with Headers and IDs), every TH has a Table attribute /Scope of Row,
   * Column or Both (15-003). Left to a human: whether every header cell is a TH (15-001, 15-002),
   * and whether a table is a table (15-004, 15-005).
   */
  'pdf-table-scope': {
    title: 'table headers have a scope',
    matterhorn: ['15-003'],
    human: 'whether every header cell is tagged TH, and a table holds rows and columns (15-001, 15-002, 15-004, 15-005)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      const cellsOf = (t: StructElement): StructElement[] => t.kids.flatMap((k) => (k.role === 'TH' || k.role === 'TD' ? [k] : k.role === 'Table' ? [] : cellsOf(k)));
      for (const table of pdf.elements.filter((e) => e.role === 'Table')) {
        const cells = cellsOf(table);
        if (cells.some((c) => attributes(pdf, c, 'Table').some((a) => a['/Headers'] !== undefined))) continue;
        for (const th of cells.filter((c) => c.role === 'TH')) {
          const scope = attributes(pdf, th, 'Table').map((a) => asName(pdf, a['/Scope'])).find((s) => s !== null);
          if (!scope || !['Row', 'Column', 'Both'].includes(scope)) out.push({ message: `${el(th)} of ${el(table)} has no /Scope (Row, Column or Both) in a table without Headers attributes (Matterhorn 15-003)`, object: th.ref, ...(pageOf(pdf, th) && { page: pageOf(pdf, th) }) });
        }
      }
      return out;
    },
  },

  /**
   * The natural language can be determined: the catalog has a /Lang that is a well-formed
   * BCP 47 tag, which every text inherits where nothing nearer says otherwise (11-001, 11-002,
   * 11-003, 11-004, 11-006); every /Lang of a structure element is well-formed; and, as far as
   * the script shows it, the language is not wrong: the text of an element that holds Han, kana
   * or Hangul characters inherits a Lang of zh, ja or ko, and an element whose text is Latin-script
   * prose (three words or more of Latin letters; a URL or a name is not) with no CJK character
   * does not inherit a zh, ja or ko Lang. Text in artifacts needs
   * none. Left to a human: whether a declared language is the right one beyond its script
   * (11-007: Spanish marked English passes).
   */
  'pdf-lang': {
    title: 'the language of every text is declared',
    matterhorn: ['11-001', '11-002', '11-003', '11-004', '11-006'],
    human: 'whether the declared language is right beyond its script: Spanish text marked English passes (11-007)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      const lang = asText(pdf, pdf.catalog['/Lang']);
      if (!lang) out.push({ message: 'the catalog has no /Lang: the language of the text, outline and annotations cannot be determined (Matterhorn 11-001, 11-006)' });
      else if (!BCP47.test(lang)) out.push({ message: `the catalog's /Lang "${lang}" is not a language tag (BCP 47)` });
      const wrong = new Map<number | undefined, number>();
      for (const e of pdf.elements) {
        const own = asText(pdf, e.dict['/Lang']);
        if (own !== null && !BCP47.test(own)) out.push({ message: `${el(e)} has /Lang "${own}", which is not a language tag (BCP 47)`, object: e.ref });
        if (e.mcids.length === 0) continue;
        // Its own marked content's text: a kid with a Lang of its own is judged by that.
        let text = '';
        for (const m of e.mcids) text += (m.page && pdf.pageByRef.get(m.page)?.text.get(m.mcid)) ?? '';
        if (!text.trim()) continue;
        const page = pageOf(pdf, e);
        const say = (message: string) => {
          const n = wrong.get(page) ?? 0;
          wrong.set(page, n + 1);
          if (n < PER_PAGE) out.push({ message, object: e.ref, ...(page && { page }) });
        };
        const cjk = CJK.test(text);
        const sample = text.trim().slice(0, 40);
        if (cjk && !(e.lang && CJK_LANG.test(e.lang))) say(`${el(e)} holds Chinese, Japanese or Korean text ("${sample}") under Lang ${e.lang ?? '(none)'}`);
        else if (!cjk && latinProse(text) && e.lang && CJK_LANG.test(e.lang)) say(`${el(e)} holds Latin-script text and no CJK character ("${sample}") under Lang ${e.lang}`);
      }
      return out;
    },
  },

  /**
   * Links are tagged and described: every /Link annotation has a /StructParent that the
   * ParentTree maps to a Link element (after role mapping) which has an object reference to it
   * (28-011), and a non-empty /Contents (28-012). Annotations of other subtypes (which we do not
   * make) are not checked. Left to a human: whether the annotations are in reading order and the
   * description says where the link goes (28-001, 28-003).
   */
  'pdf-link-annots': {
    title: 'link annotations sit in Link elements and have alternative text',
    matterhorn: ['28-011', '28-012'],
    human: 'whether the links are in reading order and their descriptions say where they go (28-001, 28-003)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      for (const page of pdf.pages) {
        for (const a of asArray(pdf, page.dict['/Annots'])) {
          const annot = asDict(pdf, a);
          if (!annot || asName(pdf, annot['/Subtype']) !== 'Link') continue;
          const at = { page: page.number, ...(isRef(a) && { object: a }) };
          const key = asNumber(pdf, annot['/StructParent']);
          const parent = key === null ? undefined : resolve(pdf, pdf.parentTree.get(key)) === undefined ? undefined : pdf.parentTree.get(key);
          const holder = isRef(parent) ? pdf.elementByRef.get(parent) : undefined;
          if (key === null) out.push({ message: 'a Link annotation has no /StructParent: it is in no structure element (Matterhorn 28-011)', ...at });
          else if (!holder) out.push({ message: `a Link annotation's /StructParent ${key} maps to no structure element (Matterhorn 28-011)`, ...at });
          else if (holder.role !== 'Link') out.push({ message: `a Link annotation is in ${el(holder)}, not a Link element (Matterhorn 28-011)`, ...at });
          else if (!holder.objrs.includes(a as string)) out.push({ message: `a Link annotation's element ${el(holder)} has no object reference to it (Matterhorn 28-011)`, ...at });
          if (!(asText(pdf, annot['/Contents']) ?? '').trim()) out.push({ message: 'a Link annotation has no /Contents (alternative description) (Matterhorn 28-012)', ...at });
        }
      }
      return out;
    },
  },

  /**
   * Bookmarks exist: the catalog has /Outlines with at least one item, and every item has a
   * title and a destination or action. PDF/UA-1 7.17 says a document should have them; Matterhorn
   * has no failure condition for it (27-001: no test). Left to a human: whether the outline
   * follows the document's headings.
   */
  'pdf-bookmarks': {
    title: 'the document has bookmarks (an outline)',
    matterhorn: [],
    human: 'whether the outline follows the headings (PDF/UA-1 7.17; Matterhorn 27-001 has no test)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      if (pdf.outlineCount === 0) return [{ message: 'the document has no outline (bookmarks): the catalog has no /Outlines with items' }];
      const walk = (first: Json | undefined, seen: Set<string>) => {
        for (let item = first; isRef(item) && !seen.has(item); item = asDict(pdf, item)?.['/Next']) {
          seen.add(item);
          const d = asDict(pdf, item)!;
          if (!(asText(pdf, d['/Title']) ?? '').trim()) out.push({ message: 'an outline item has no title', object: item });
          if (d['/Dest'] === undefined && d['/A'] === undefined) out.push({ message: 'an outline item has neither a destination nor an action', object: item });
          walk(d['/First'], seen);
        }
      };
      walk(asDict(pdf, pdf.catalog['/Outlines'])?.['/First'], new Set());
      return out;
    },
  },

  /**
   * Fonts are embedded and map to Unicode: every font reachable from a page's resources (and the
   * resources of the form XObjects and Type 3 glyphs they use) has its program embedded
   * (/FontFile, /FontFile2 or /FontFile3 in its descriptor, for a Type 0 font its descendant's;
   * 31-009) unless it is a Type 3 font, and has a /ToUnicode map unless 31-027 excuses it (a
   * simple font with MacRoman, MacExpert or WinAnsi encoding, a Type 0 font of an Adobe-GB1, CNS1,
   * Japan1 or Korea1 collection, a non-symbolic TrueType font; 10-001). Stricter than 31-027: a
   * Type 1 or 3 font without ToUnicode fails even if its glyph names are all in the Adobe Glyph
   * List. Not decided: whether the map has every code used (so 10-001 only as far as a map
   * is there), 31-028 to 31-030, and the font-program conditions 31-001 to 31-026.
   */
  'pdf-fonts': {
    title: 'fonts are embedded and have ToUnicode maps',
    matterhorn: ['31-009', '31-027', '10-001'],
    human: 'none; the font-program conditions (31-001 to 31-008, 31-011 to 31-026, 31-028 to 31-030) are not checked',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      const fonts = new Map<string, { dict: Dict; page: number }>();
      const seen = new Set<Json>();
      const visitResources = (res: Json | undefined, page: number, depth: number) => {
        const r = asDict(pdf, res);
        if (!r || depth > 16 || seen.has(res as Json)) return;
        if (isRef(res)) seen.add(res);
        for (const [name, f] of Object.entries(asDict(pdf, r['/Font']) ?? {})) {
          const key = isRef(f) ? f : `${name} on page ${page}`;
          const dict = asDict(pdf, f);
          if (!dict || fonts.has(key)) continue;
          fonts.set(key, { dict, page });
          if (asName(pdf, dict['/Subtype']) === 'Type3') visitResources(dict['/Resources'], page, depth + 1);
        }
        for (const x of Object.values(asDict(pdf, r['/XObject']) ?? {})) {
          const xd = asDict(pdf, x);
          if (xd && asName(pdf, xd['/Subtype']) === 'Form' && !seen.has(x)) {
            if (isRef(x)) seen.add(x);
            visitResources(xd['/Resources'], page, depth + 1);
          }
        }
      };
      for (const page of pdf.pages) {
        // Resources are inherited down the page tree.
        let res: Json | undefined;
        for (let node: Dict | null = page.dict, i = 0; node && res === undefined && i < 64; node = asDict(pdf, node['/Parent']), i++) res = node['/Resources'];
        visitResources(res, page.number, 0);
      }
      for (const [ref, { dict, page }] of fonts) {
        const subtype = asName(pdf, dict['/Subtype']);
        const base = asName(pdf, dict['/BaseFont']) ?? '(no name)';
        const at = { page, object: ref };
        const descendant = subtype === 'Type0' ? asDict(pdf, asArray(pdf, dict['/DescendantFonts'])[0]) : null;
        const descriptor = asDict(pdf, (descendant ?? dict)['/FontDescriptor']);
        if (subtype !== 'Type3' && !(descriptor && (descriptor['/FontFile'] ?? descriptor['/FontFile2'] ?? descriptor['/FontFile3']))) out.push({ message: `font ${base} (${subtype}) is not embedded (Matterhorn 31-009)`, ...at });
        if (dict['/ToUnicode'] !== undefined) continue;
        const encoding = asName(pdf, dict['/Encoding']) ?? asName(pdf, asDict(pdf, dict['/Encoding'])?.['/BaseEncoding']);
        const info = asDict(pdf, descendant?.['/CIDSystemInfo']);
        const collection = `${asText(pdf, info?.['/Registry']) ?? ''}-${asText(pdf, info?.['/Ordering']) ?? ''}`;
        const flags = asNumber(pdf, descriptor?.['/Flags']) ?? 0;
        const excused =
          (subtype !== 'Type0' && ['MacRomanEncoding', 'MacExpertEncoding', 'WinAnsiEncoding'].includes(encoding ?? '')) ||
          (subtype === 'Type0' && ['Adobe-GB1', 'Adobe-CNS1', 'Adobe-Japan1', 'Adobe-Korea1'].includes(collection)) ||
          (subtype === 'TrueType' && (flags & 32) !== 0 && (flags & 4) === 0);
        if (!excused) out.push({ message: `font ${base} (${subtype}) has no /ToUnicode map: its text cannot be mapped to Unicode (Matterhorn 31-027, 10-001)`, ...at });
      }
      return out;
    },
  },

  /**
   * No text exists only as an image: every image painted lies in an Artifact or in the marked
   * content of a Figure or Formula (or an element inside one), never in that of a paragraph,
   * heading or other text element; and every page with tagged content other than figures has
   * extractable text. Matterhorn has no machine condition for this (08-001, 08-002 and 13-001 are
   * a human's); PDF/UA-1 7.3 and WCAG 1.4.5 ask for it. Left to a human: whether a figure is a
   * picture of text (an image of a table, say).
   */
  'pdf-text-as-image': {
    title: 'no text exists only as an image',
    matterhorn: [],
    human: 'whether a Figure is a picture of text (PDF/UA-1 7.3, WCAG 1.4.5; Matterhorn 08-001, 08-002, 13-001 are a human\'s)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      const referenced = referencedMcids(pdf);
      const inFigure = (e: StructElement | undefined) => {
        for (let x = e; x; x = x.parent ?? undefined) if (x.role === 'Figure' || x.role === 'Formula') return true;
        return false;
      };
      for (const page of pdf.pages) {
        let n = 0;
        let textual = false;
        for (const p of page.painted) {
          if (p.within.some((w) => w.tag === 'Artifact')) continue;
          const mcid = p.within.findLast((w) => w.mcid !== null)?.mcid;
          const holder = mcid === undefined || mcid === null ? undefined : referenced.get(`${page.ref}#${mcid}`);
          if (inFigure(holder)) continue;
          if (holder) textual = true;
          if (p.kind === 'image' && n++ < PER_PAGE) out.push({ message: holder ? `an image is painted as the content of ${el(holder)}, not of a Figure: text set as an image?` : 'an image is painted outside any Figure or Artifact', page: page.number, ...(holder && { object: holder.ref }) });
        }
        if (textual && !page.hasText) out.push({ message: 'the page has tagged content other than figures, but no extractable text', page: page.number });
      }
      return out;
    },
  },

  /**
   * The title is in the metadata and shown: the catalog has an XMP metadata stream (06-001) with
   * a non-empty dc:title (06-003), and /ViewerPreferences has /DisplayDocTitle true (07-001,
   * 07-002). Left to a human: whether the title identifies the document (06-004).
   */
  'pdf-title': {
    title: 'the title is in the metadata, and shown (DisplayDocTitle)',
    matterhorn: ['06-001', '06-003', '07-001', '07-002'],
    human: 'whether the title identifies the document (06-004)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      if (!pdf.xmp || pdf.catalog['/Metadata'] === undefined) out.push({ message: 'the catalog has no XMP metadata stream (Matterhorn 06-001)' });
      else {
        const title = /<dc:title\b[^>]*>([\s\S]*?)<\/dc:title>/.exec(pdf.xmp)?.[1] ?? '';
        const text = title.replace(/<[^>]*>/g, '').trim();
        if (!text) out.push({ message: 'the XMP metadata has no dc:title, or an empty one (Matterhorn 06-003)' });
      }
      const prefs = asDict(pdf, pdf.catalog['/ViewerPreferences']);
      const display = resolve(pdf, prefs?.['/DisplayDocTitle']);
      if (display === undefined) out.push({ message: 'the catalog\'s /ViewerPreferences has no /DisplayDocTitle: viewers show the file name, not the title (Matterhorn 07-001)' });
      else if (display !== true) out.push({ message: '/DisplayDocTitle is false: viewers show the file name, not the title (Matterhorn 07-002)' });
      return out;
    },
  },

  /**
   * The role map is right: every structure type used is a standard type (ISO 32000-1, 14.8.4) or
   * maps through /RoleMap to one (02-001); no mapping is circular (02-003); no standard type is
   * remapped (02-004). Left to a human: whether a mapping fits the type's meaning (02-002).
   */
  'pdf-role-map': {
    title: 'the role map is right',
    matterhorn: ['02-001', '02-003', '02-004'],
    human: 'whether each mapping fits the type\'s meaning (02-002)',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      for (const [from, to] of Object.entries(pdf.roleMap)) {
        if (STANDARD_TYPES.has(from)) out.push({ message: `the role map remaps the standard type ${from} (to ${to}) (Matterhorn 02-004)` });
        const chain = [from];
        let t = to;
        while (!STANDARD_TYPES.has(t) && pdf.roleMap[t] !== undefined && !chain.includes(t)) {
          chain.push(t);
          t = pdf.roleMap[t]!;
        }
        if (chain.includes(t)) out.push({ message: `the role map is circular: ${[...chain, t].join(' -> ')} (Matterhorn 02-003)` });
      }
      const unmapped = new Map<string, StructElement>();
      for (const e of pdf.elements) if (e.type && !STANDARD_TYPES.has(e.role) && !unmapped.has(e.type)) unmapped.set(e.type, e);
      for (const [type, e] of unmapped) out.push({ message: `the structure type ${type} is not standard and the role map does not lead it to a standard type (Matterhorn 02-001)`, object: e.ref });
      return out;
    },
  },

  /**
   * The tab order follows the structure: every page with annotations has /Tabs /S (28-008,
   * 28-009).
   */
  'pdf-tab-order': {
    title: 'pages with annotations have the structure tab order',
    matterhorn: ['28-008', '28-009'],
    human: 'none',
    run(pdf) {
      const out: Omit<Finding, 'check'>[] = [];
      for (const page of pdf.pages) {
        if (asArray(pdf, page.dict['/Annots']).length === 0) continue;
        const tabs = asName(pdf, page.dict['/Tabs']);
        if (tabs === null) out.push({ message: 'the page has annotations but no /Tabs (Matterhorn 28-008)', page: page.number, object: page.ref });
        else if (tabs !== 'S') out.push({ message: `the page has annotations and /Tabs /${tabs}, not /S (Matterhorn 28-009)`, page: page.number, object: page.ref });
      }
      return out;
    },
  },

  /** The PDF says it is PDF/UA-1: its XMP metadata has pdfuaid:part 1 (06-002). */
  'pdf-ua-identifier': {
    title: 'the metadata declares PDF/UA-1 (pdfuaid:part 1)',
    matterhorn: ['06-002'],
    human: 'none',
    run(pdf) {
      const part = pdf.xmp && (/<pdfuaid:part>\s*(\d+)\s*<\/pdfuaid:part>/.exec(pdf.xmp)?.[1] ?? /pdfuaid:part\s*=\s*["'](\d+)["']/.exec(pdf.xmp)?.[1]);
      if (!part) return [{ message: 'the XMP metadata does not declare PDF/UA (no pdfuaid:part) (Matterhorn 06-002)' }];
      if (part !== '1') return [{ message: `the XMP metadata declares pdfuaid:part ${part}, not 1 (Matterhorn 06-002)` }];
      return [];
    },
  },
};

export type CheckId = keyof typeof CHECKS;
