/** The body of the HTML edition: the section tree as nested <section>s, then the footnotes. */
import type { Root as HastRoot } from 'hast';
import type { Root, RootContent } from 'mdast';
import { toHast } from 'mdast-util-to-hast';
import type { Section } from '../model/types.js';
import { pageOptions, type Text } from './convert.js';
import type { SectionNode } from './handlers.js';
import { toXhtml } from './xhtml.js';

/** The whole text converted once, with its link and image definitions and its footnotes. */
export function renderBody(text: Text): string {
  const { model } = text;
  const root = {
    type: 'root',
    children: [...model.sections.map(sectionNode), ...model.definitions.values(), ...model.footnotes],
  } as unknown as Root;
  return toXhtml(toHast(root, pageOptions(text)) as HastRoot, model.linkSchemes);
}

function sectionNode(section: Section): SectionNode {
  return {
    type: 'section',
    id: section.id,
    children: [...(section.heading ? [section.heading] : []), ...section.content, ...(section.children.map(sectionNode) as unknown as RootContent[])],
  };
}
