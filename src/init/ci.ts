/**
 * The CI files `editions init --ci` writes. Both run the same three stages: check the sources
 * strictly, build four shards in parallel (each with its own build cache), merge the shards
 * into one dist/. The cache is content-addressed by the tool, so restoring an older one is
 * always safe: at worst nothing in it matches and every output is rendered. Only the shards
 * restore it: check renders nothing, so a cache there would be read by nothing.
 */
import type { PlannedFile } from './scaffold.js';

export const CI_PROVIDERS = ['github', 'gitlab'] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

/** How many shards the workflows build; the merge step names each shard's folder. */
export const SHARDS = 4;

const shardDirs = Array.from({ length: SHARDS }, (_, i) => `dist-${i + 1}`).join(' ');

export function ciFiles(provider: CiProvider): PlannedFile[] {
  return provider === 'github' ? [{ path: '.github/workflows/editions.yml', text: GITHUB }] : [{ path: '.gitlab-ci.yml', text: GITLAB }];
}

// GitHub caches are immutable per key: the key carries the hash of what the outputs are made
// from, and restore-keys fall back to the newest cache of the same shard when that changed.
const cacheStep = (key: string) => `      - name: Restore the build cache
        uses: actions/cache@v4
        with:
          path: .editions-cache
          key: ${key}-\${{ hashFiles('source/**', 'templates/**') }}
          restore-keys: ${key}-
`;

const setup = `      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
`;

// The summary step reads what merge wrote with --changes: the outputs new or changed, and
// those gone, since the manifest of the last build (restored from the cache into previous/).
const SUMMARY = `node -e '
  const fs = require("fs");
  const { changed, removed } = JSON.parse(fs.readFileSync("changes.json", "utf8"));
  const lines = changed.length + removed.length === 0 ? ["No output changed since the last build."]
    : [...changed.map((p) => "- \`" + p + "\`"), ...removed.map((p) => "- \`" + p + "\` (removed)")];
  fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, ["## Changed outputs", "", ...lines, ""].join("\\n"));
'`;

// Uploads fail when their folder is missing (upload-artifact only warns by default): a shard
// that wrote nothing would otherwise surface later, as a merge that cannot find it.
const GITHUB = `# Made by editions init --ci github: check, build in ${SHARDS} shards, merge into one dist/.
name: editions

on:
  push:
  pull_request:

permissions:
  contents: read

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
${setup}      - run: npx editions check --strict

  build:
    needs: check
    runs-on: ubuntu-latest
    strategy:
      matrix:
        shard: [${Array.from({ length: SHARDS }, (_, i) => i + 1).join(', ')}]
    steps:
${setup}${cacheStep('editions-${{ runner.os }}-shard-${{ matrix.shard }}')}      - run: npx editions build --shard \${{ matrix.shard }}/${SHARDS} --out dist-\${{ matrix.shard }} --cache .editions-cache
      - uses: actions/upload-artifact@v4
        with:
          name: dist-\${{ matrix.shard }}
          path: dist-\${{ matrix.shard }}
          if-no-files-found: error

  merge:
    needs: build
    runs-on: ubuntu-latest
    steps:
${setup}      - uses: actions/download-artifact@v4
        with:
          pattern: dist-*
          path: .
      - name: Restore the last build's manifest
        uses: actions/cache@v4
        with:
          path: previous
          key: editions-previous-\${{ hashFiles('source/**', 'templates/**') }}
          restore-keys: editions-previous-
      - run: npx editions merge ${shardDirs} --out dist --since previous/manifest.json --changes changes.json
      - run: mkdir -p previous && cp dist/manifest.json previous/manifest.json
      - uses: actions/upload-artifact@v4
        with:
          name: dist
          path: dist
          if-no-files-found: error
      - name: List the changed outputs in the job summary
        run: |
${SUMMARY.split('\n').map((l) => `          ${l}`).join('\n')}
`;

// GitLab re-uploads a cache after every job, so one key per shard keeps each shard's cache
// current without a key per source change.
const GITLAB = `# Made by editions init --ci gitlab: check, build in ${SHARDS} shards, merge into one dist/.
image: node:20

stages: [check, build, merge]

check:
  stage: check
  script:
    - npm ci
    - npx editions check --strict

build:
  stage: build
  parallel: ${SHARDS}
  cache:
    key: editions-shard-$CI_NODE_INDEX
    paths: [.editions-cache/]
  script:
    - npm ci
    - npx editions build --shard $CI_NODE_INDEX/$CI_NODE_TOTAL --out dist-$CI_NODE_INDEX --cache .editions-cache
  artifacts:
    paths: [dist-$CI_NODE_INDEX/]

merge:
  stage: merge
  needs: [build]
  cache:
    key: editions-previous
    paths: [previous/]
  script:
    - npm ci
    - npx editions merge ${shardDirs} --out dist --since previous/manifest.json --changes changes.json
    - mkdir -p previous && cp dist/manifest.json previous/manifest.json
    - >-
      node -e 'const { changed, removed } = require("./changes.json");
      console.log(changed.length + removed.length === 0 ? "No output changed since the last build." : ["Changed outputs:", ...changed.map((p) => "- " + p), ...removed.map((p) => "- " + p + " (removed)")].join("\\n"))'
  artifacts:
    paths: [dist/]
`;
