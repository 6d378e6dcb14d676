/**
 * The files `editions init` writes for a new project: the config (every default written out,
 * commented, so a publisher sees what can be set), one short paper that passes `check --strict`
 * and builds, a template folder that is already in use, and a .gitignore for what builds make.
 */
import { FORMAT_NAMES } from '../formats/registry.js';

/** The one document a new project starts with: its folder under source/ names its outputs. */
export const EXAMPLE_DOCUMENT = 'example-policy';

/** A file to write, by its path relative to the project folder (always with `/`). */
export interface PlannedFile {
  path: string;
  text: string;
}

export function scaffoldFiles(): PlannedFile[] {
  return [
    { path: 'editions.config.yaml', text: CONFIG },
    { path: `source/${EXAMPLE_DOCUMENT}/paper.en.md`, text: PAPER },
    { path: 'templates/README.md', text: TEMPLATES_README },
    { path: '.gitignore', text: GITIGNORE },
  ];
}

const CONFIG = `# policy-editions project config. Paths are relative to this file; flags on the command
# line override what is set here. Each value below is the default, except templates.

sources: [source]          # folders that hold one folder per document (source/<document>/paper.<lang>.md)
out: dist                  # the output folder, replaced whole by each build
formats: [${FORMAT_NAMES.join(', ')}]  # which formats to build

# Template overrides: a file copied here from the tool's templates/ replaces the built-in one
# (see templates/README.md). Files you have not copied come from the built-in set.
templates: [templates]

# Bilingual editions (once a document has a translation): language order and layout.
# bilingual:
#   - languages: [zh-Hans, en]
#     layout: alternating  # or side-by-side (the default)

# URI schemes links may use besides http, https, ftp, mailto, tel and irc.
# links:
#   schemes: [doi, urn]

# colophon:
#   generator: true        # print "Made with: policy-editions" in the colophon (off by default)
`;

const PAPER = `---
title: Example Policy Paper
issuer: Example Ministry
issued: 2026-01-15
language: en
description: A short paper to start from. Replace its text with your own.
---

# 1. Purpose

This paper sets out why the policy exists and whom it serves. Each numbered heading gets a
stable ID (this section is 1, its first paragraph 1-p1) that every edition uses for links,
bookmarks and translations.

# 2. Measures

This section lists what will be done. Run npx editions check after each change, then
npx editions build to write every edition into dist/. See [the purpose](#1).
`;

const TEMPLATES_README = `# Template overrides

This folder is named in editions.config.yaml (\`templates: [templates]\`), so a file placed here
replaces the built-in file of the same relative path; every file you have not copied still comes
from the tool's own set. To change the stylesheet of the HTML and EPUB editions:

\`\`\`sh
mkdir -p templates/html
cp node_modules/policy-editions/templates/html/style.css templates/html/
# edit templates/html/style.css, then
npx editions check && npx editions build
\`\`\`

The built-in files are in the tool's \`templates/\` folder (\`node_modules/policy-editions/templates/\`
once installed): \`html/page.hbs\` and \`html/partials/\` (the page), \`html/style.css\`,
\`epub/\` (package and navigation), \`pdf/theme.yaml\` (page size, margins, fonts, colours),
\`pdf/title-page.md.hbs\` and \`pdf/colophon.md.hbs\`, and \`i18n/<language>.yaml\` (UI strings).

Keep the same relative path: a file here that replaces no built-in file is reported by
\`editions check\` as a warning [template-unused], since it would never be read (this README is
the one file that is not).
`;

const GITIGNORE = `# What builds make: the output folder, its staging and lock beside it, and the build cache.
dist/
dist-*/
.dist.*
.editions-cache/
node_modules/
`;
