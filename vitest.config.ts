import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The validator tests start Java and Chromium; everything else takes milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
