/**
 * The order the test files start in: the longest first (measured in CI: the CommonMark spec in
 * every format takes three minutes, the crash tests two), then the rest in vitest's own order.
 * With two files at a time, a long file started last is a long tail that the other core waits
 * out; a clean clone has no timings of earlier runs for vitest to order by.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONGEST = ['commonmark', 'crash-safety', 'xliff', 'output-safety', 'typeset-pages', 'reproducible', 'validators', 'html-accessibility', 'docx', 'cli', 'corpus', 'watch', 'pack', 'shards'];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST.indexOf(path.basename(f.moduleId, '.test.ts'));
      return i < 0 ? LONGEST.length : i;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}
