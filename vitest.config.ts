import { defineConfig } from 'vitest/config';
import LongestFirst from './tests/sequencer.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The repository and the corpus, built once for the run in every format (sharedBuild()).
    globalSetup: ['tests/global-setup.ts'],
    // Two files at a time on two cores (vitest's default leaves one core idle): most of a test's
    // time is a child process (a build, Java, LibreOffice, Chromium) waiting on its own core.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    // The validator tests start Java and Chromium; everything else takes milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
