/**
 * Images a hostile or careless source names: nothing outside the document folder is read
 * (through a path, a symbolic link or a network path), nothing that is not a regular file is
 * opened (a FIFO would hang the build, /dev/zero would never end), and a file is checked before
 * any format embeds it (a PNG with garbage data, or a header claiming 60000 x 60000 pixels).
 * Each is a warning at its place, and the editions set the image's alternative text instead.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { buildModel } from '../src/model/build.js';
import { imageInfo } from '../src/model/image-files.js';
import { parseSource } from '../src/source/parse.js';
import { FIXTURE_DOCS, tempDir } from './helpers.js';

const FRONT = '---\ntitle: Images\nissuer: The Test Office\nissued: 2020-01-31\nlanguage: en\n---\n# One\n\n';
const GOOD_PNG = path.join(FIXTURE_DOCS, 'kitchen-sink', 'fields.png');

/** A PNG of the given chunks, each with its right checksum unless `crc` says otherwise. */
function png(width: number, height: number, pixels: Buffer, crc?: number): Buffer {
  const chunk = (type: string, data: Buffer, sum?: number) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(sum ?? crc32(body));
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', pixels, crc), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** 2 x 2 RGB pixels: a filter byte and six samples a row. */
const RAW = Buffer.alloc(2 * (1 + 6), 0x40);

describe('image files', () => {
  const dir = tempDir('images-');
  const doc = path.join(dir, 'doc');
  mkdirSync(doc);
  const outside = path.join(dir, 'outside.png');
  copyFileSync(GOOD_PNG, outside);
  copyFileSync(GOOD_PNG, path.join(doc, 'good.png'));
  symlinkSync(outside, path.join(doc, 'link-out.png'));
  symlinkSync('good.png', path.join(doc, 'link-in.png'));
  symlinkSync('/dev/zero', path.join(doc, 'zero.png'));
  execFileSync('mkfifo', [path.join(doc, 'fifo.png')]);
  mkdirSync(path.join(doc, 'folder.png'));
  writeFileSync(path.join(doc, 'garbage.png'), png(2, 2, Buffer.from('garbage data')));
  writeFileSync(path.join(doc, 'short.png'), png(2, 2, deflateSync(RAW.subarray(0, 9))));
  writeFileSync(path.join(doc, 'checksum.png'), png(2, 2, deflateSync(RAW), 1));
  writeFileSync(path.join(doc, 'huge.png'), png(60000, 60000, deflateSync(Buffer.alloc(100))));
  writeFileSync(path.join(doc, 'fine.png'), png(2, 2, deflateSync(RAW)));
  writeFileSync(path.join(doc, 'cut.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34]));

  const cases: [string, string][] = [
    ['good.png', ''],
    ['link-in.png', ''],
    ['fine.png', ''],
    [outside, 'is not a file beside the source'],
    ['//host/share/x.png', 'is not a file beside the source'],
    ['link-out.png', 'is a link to a file outside the document folder'],
    ['zero.png', 'is a link to a file outside the document folder'],
    ['fifo.png', 'is not a file'],
    ['folder.png', 'is not a file'],
    ['garbage.png', 'is a damaged PNG file (its pixel data does not decompress)'],
    ['short.png', 'is a damaged PNG file (its pixel data is 9 bytes, not the 14 its size needs)'],
    ['checksum.png', 'is a damaged PNG file (its IDAT chunk fails its checksum)'],
    ['huge.png', 'is 60000 x 60000 pixels, more than the 40 million an edition takes'],
    ['cut.jpg', 'is a damaged JPEG file (it is cut short (no end-of-image marker))'],
  ];
  const body = cases.map(([url], i) => `![image ${i}](<${url}>)`).join('\n\n');
  const report = new Report();
  const model = buildModel(parseSource(`${FRONT}${body}\n`, path.join(doc, 'paper.en.md'), report), 'doc', report)!;

  it.each(cases)('%s: %s', (url, problem) => {
    const line = 9 + 2 * cases.findIndex(([u]) => u === url);
    const said = report.diagnostics.filter((d) => d.place?.line === line).map((d) => `${d.severity} ${d.ruleId}: ${d.message}`);
    if (problem === '') {
      expect(said).toEqual([]);
      expect(model.images.has(url)).toBe(true);
    } else {
      expect(said).toEqual([`warning image: the image "${url}" ${problem}; its alternative text is set instead`]);
      expect(model.images.has(url)).toBe(false);
    }
  });

  it('reads a linked image from the file the link names, once', () => {
    expect(model.images.get('link-in.png')!.data).toEqual(readFileSync(GOOD_PNG));
  });

  it('checks every image of the corpus and the fixtures as sound', () => {
    const files = execFileSync('find', [path.join(FIXTURE_DOCS, '..'), '-name', '*.png', '-o', '-name', '*.jpg'], { encoding: 'utf8' }).trim().split('\n');
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => 'problem' in imageInfo(readFileSync(f)))).toEqual([]);
  });
});
