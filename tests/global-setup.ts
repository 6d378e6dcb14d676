/**
 * The builds that many test files read, made once per run (vitest globalSetup) instead of once
 * per file: the repository's sources with the kitchen sink, and the corpus, each in every
 * format. Test files get them through sharedBuild() (tests/helpers.ts) and only read them: a
 * test that changes a source or an output builds its own.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TestProject } from 'vitest/node';
import { CORPUS_SOURCES, FIXTURE_DOCS, runCli, tempDir, type SharedBuild } from './helpers.js';

function buildOnce(sources: string[], cached = false): SharedBuild {
  const dir = tempDir('editions-shared-');
  const out = path.join(dir, 'dist');
  const cache = path.join(dir, 'cache');
  const started = performance.now();
  // The corpus is built with an empty cache, which it fills (tests/cache.test.ts builds it again from it).
  const r = runCli(['build', ...sources, '--out', out, '--format', 'html,epub,pdf,docx', '-q', ...(cached ? ['--cache', cache] : [])]);
  if (r.status !== 0) throw new Error(`the shared build of ${sources.join(' ')} failed: ${r.stderr}`);
  return { out, stderr: r.stderr, seconds: (performance.now() - started) / 1000, ...(cached && { cache }) };
}

export default function setup(project: TestProject): () => void {
  const builds = { repository: buildOnce(['source', FIXTURE_DOCS]), corpus: buildOnce(CORPUS_SOURCES, true) };
  project.provide('builds', builds);
  return () => {
    for (const b of Object.values(builds)) rmSync(path.dirname(b.out), { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    builds: { repository: SharedBuild; corpus: SharedBuild };
  }
}
