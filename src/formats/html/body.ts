/** The body of the HTML edition: the section tree as nested <section>s, then the footnotes. */
import type { Root as HastRoot } from 'hast';
import type { Root, RootContent } from 'mdast';
import { toHast, type Handlers } from 'mdast-util-to-hast';
import type { DocumentModel, Section } from '../../model/types.js';
import { uiString, type Strings } from '../../templating/i18n.js';
import { htmlHandlers, type ImageSource, type SectionNode } from './handlers.js';
import { toXhtml } from './xhtml.js';

export function renderBody(model: DocumentModel, strings: Strings, images: ImageSource): string {
  const root = {
    type: 'root',
    children: [...model.sections.map(sectionNode), ...model.footnotes],
  } as unknown as Root;
  const hast = toHast(root, {
    handlers: htmlHandlers(images) as Handlers,
    footnoteLabel: uiString(strings, 'footnotes'),
    footnoteBackLabel: (refIndex: number) => `${uiString(strings, 'footnoteBack')} ${refIndex + 1}`,
  }) as HastRoot;
  return toXhtml(hast);
}

function sectionNode(section: Section): SectionNode {
  return {
    type: 'section',
    id: section.id,
    children: [section.heading, ...section.content, ...(section.children.map(sectionNode) as unknown as RootContent[])],
  };
}
