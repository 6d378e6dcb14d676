/**
 * A build split across machines (src/build/shards.ts): `build --shard i/n` renders the i-th of n
 * stable, disjoint parts, and `merge` joins the parts into the folder one whole build writes, byte
 * for byte. Shards of other sources, a missing or repeated shard, a file changed in a shard and a
 * `--shard` that names no part are refused, with nothing written.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySource, filesUnder, runCli } from './helpers.js';


const outputsOf = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { outputs: { path: string }[] }).outputs.map((o) => o.path);

describe('four shards, merged', () => {
  let project: string;
  const cli = (args: string[]) => runCli(args, { cwd: project });
  beforeAll(() => {
    project = path.dirname(copySource());
    for (let i = 1; i <= 4; i++) {
      const r = cli(['build', '--shard', `${i}/4`, '--out', `dist-${i}`, '-q']);
      if (r.status !== 0) throw new Error(r.stderr);
    }
    const whole = cli(['build', '--out', 'whole', '-q']);
    if (whole.status !== 0) throw new Error(whole.stderr);
  }, 300_000);

  it('hold every output once, in parts of seven', () => {
    const parts = [1, 2, 3, 4].map((i) => outputsOf(path.join(project, `dist-${i}`)));
    expect(parts.map((p) => p.length)).toEqual([7, 7, 7, 7]);
    expect(parts.flat().sort()).toEqual(outputsOf(path.join(project, 'whole')).sort());
    // Each part has PDFs: the costliest outputs are dealt out first.
    for (const p of parts) expect(p.some((o) => o.endsWith('.pdf'))).toBe(true);
  });

  it('are the same parts when built again', () => {
    const again = cli(['build', '--shard', '3/4', '--out', 'again', '-q']);
    expect(again.status, again.stderr).toBe(0);
    expect(outputsOf(path.join(project, 'again'))).toEqual(outputsOf(path.join(project, 'dist-3')));
  });

  it('merge into the folder of one whole build, byte for byte', () => {
    const r = cli(['merge', 'dist-1', 'dist-2', 'dist-3', 'dist-4', '--out', 'dist']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^merged 4 shards into 28 outputs of 1 document and 2 briefing packets in \d+\.\d\d s into dist\/; since the last build: 28 changed$/m);
    const merged = filesUnder(path.join(project, 'dist'));
    const whole = filesUnder(path.join(project, 'whole'));
    expect([...merged.keys()].sort()).toEqual([...whole.keys()].sort());
    expect([...whole].filter(([p, data]) => !merged.get(p)!.equals(data)).map(([p]) => p)).toEqual([]);
  });

  it('refuse a missing or repeated shard, a folder that is no shard, and a file changed in a shard', () => {
    const missing = cli(['merge', 'dist-1', 'dist-2', 'dist-4', '--out', 'x']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/dist-1\/manifest\.json: error: shard 3\/4 is missing \[shard\]/);
    const twice = cli(['merge', 'dist-1', 'dist-2', 'dist-3', 'dist-4', 'again', '--out', 'x']);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/again\/manifest\.json: error: shard 3\/4 is given twice \(also dist-3\) \[shard\]/);
    const whole = cli(['merge', 'whole', '--out', 'x']);
    expect(whole.status).toBe(1);
    expect(whole.stderr).toContain('whole/manifest.json: error: whole is not the folder of a shard [shard]');
    const victim = outputsOf(path.join(project, 'dist-2')).find((p) => p.endsWith('.html'))!;
    const file = path.join(project, 'dist-2', victim);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('</body>', '<!-- changed --></body>'));
    try {
      const changed = cli(['merge', 'dist-1', 'dist-2', 'dist-3', 'dist-4', '--out', 'x']);
      expect(changed.status).toBe(1);
      expect(changed.stderr).toContain(`error: ${victim} of shard 2/4 is not the file its manifest lists [shard]`);
    } finally {
      writeFileSync(file, text);
    }
    expect(readdirSync(project)).not.toContain('x');
  });

  it('refuse shards built from other sources than the ones merged', () => {
    const en = path.join(project, 'source', 'china-lac-policy', 'paper.en.md');
    const text = readFileSync(en, 'utf8');
    writeFileSync(en, text.replace('It encourages Chinese commercial banks', 'It encourages Chinese policy and commercial banks'));
    try {
      const r = cli(['merge', 'dist-1', 'dist-2', 'dist-3', 'dist-4', '--out', 'y']);
      expect(r.status).toBe(1);
      expect(r.stderr.match(/error: shard \d\/4 was built from other sources, templates or version of editions than these \[shard\]/g)).toHaveLength(4);
    } finally {
      writeFileSync(en, text);
    }
    expect(readdirSync(project)).not.toContain('y');
  });

  it('refuse a --shard that names no part, as a usage error', () => {
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '2', '1/300']) {
      const r = cli(['build', '--shard', bad, '--out', 'z']);
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toContain(`error: --shard "${bad}" is not a part of the build`);
    }
  });
});
