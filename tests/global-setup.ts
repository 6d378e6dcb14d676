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

function buildOnce(sources: string[]): SharedBuild {
  const out = path.join(tempDir('editions-shared-'), 'dist');
  const started = performance.now();
  const r = runCli(['build', ...sources, '--out', out, '--format', 'html,epub,pdf,docx', '-q']);
  if (r.status !== 0) throw new Error(`the shared build of ${sources.join(' ')} failed: ${r.stderr}`);
  return { out, stderr: r.stderr, seconds: (performance.now() - started) / 1000 };
}

export default function setup(project: TestProject): () => void {
  const builds = { repository: buildOnce(['source', FIXTURE_DOCS]), corpus: buildOnce(CORPUS_SOURCES) };
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
