/**
 * Faults of the input and of the machine, each a case of its own: what the build says, and its
 * exit status (1 for input and environment, 2 for the command line, 70 only for bugs). Each
 * message names the file, with a rule id and a hint; none is an "internal error".
 *
 * YAML aliases that expand without bound, in every kind of YAML file the build reads; a folder,
 * a FIFO or a looping link where a file should be, and a file it may not read; a read-only
 * output parent, a read-only file system and a full disk (a tiny tmpfs in a mount namespace of
 * its own, where one can be made); dates past 2099; malformed percent-escapes; and the
 * characters that no edition can carry, at their place in the source, with valid outputs.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { escapeControls, formatDiagnostic } from '../src/messages.js';
import { fileProblem } from '../src/source/files.js';
import { CLI, copySource, ROOT, read, tempDir } from './helpers.js';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with a time limit (a FIFO read would block for ever), optionally through a
 * command that changes the machine for it (`setpriv`, `unshare`).
 */
function cli(args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; through?: string[] } = {}): Run {
  const command = [...(o.through ?? []), process.execPath, CLI, ...args];
  const r = spawnSync(command[0]!, command.slice(1), {
    cwd: o.cwd ?? ROOT,
    env: { ...process.env, SOURCE_DATE_EPOCH: '', ...o.env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A folder (readable by every user) holding one small document, `doc/paper.en.md`. */
function oneDocument(front = '', body = '# I. One\n\nText.\n'): string {
  const source = tempDir();
  chmodSync(source, 0o755);
  mkdirSync(path.join(source, 'doc'));
  writeFileSync(path.join(source, 'doc', 'paper.en.md'), `---\ntitle: T\nissuer: I\nissued: 2024-01-01\nlanguage: en\n${front}---\n\n${body}`);
  return source;
}

/** Nine aliases of nine aliases ... nine levels deep: a "billion laughs" in YAML (line 1 the anchor, line 2 the first alias at column 8). */
const BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n') + '\n';

const prepend = (text: string) => (t: string) => `${text}${t}`;
const mkfifo = (file: string) => expect(spawnSync('mkfifo', [file]).status).toBe(0);

/** Whether this process runs as root (then file modes do not stop it: the CLI runs as nobody). */
const root = process.getuid?.() === 0;
const setpriv = root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
const canDropPrivileges = !root || spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;

/** `unshare` with a tmpfs mounted (with `options`) at the first argument, for the command after it. */
const unshare = root ? ['unshare', '--mount', '--propagation', 'private'] : ['unshare', '--user', '--map-root-user', '--mount'];
const withTmpfs = (dir: string, options: string) => [...unshare, 'sh', '-c', `mount -t tmpfs -o ${options} tmpfs "$0" && exec "$@"`, dir];
const canMountTmpfs = (() => {
  const dir = tempDir();
  return spawnSync(withTmpfs(dir, 'size=64k')[0]!, [...withTmpfs(dir, 'size=64k').slice(1), 'true']).status === 0;
})();

interface Case {
  name: string;
  run: () => Run;
  status?: number;
  /** Each must be in the error output. */
  says: (string | RegExp)[];
  skip?: boolean;
}

const CASES: Case[] = [
  // YAML aliases that expand without bound, in every YAML file the build reads.
  {
    name: 'an alias bomb in front matter',
    run: () => cli(['check', oneDocument(BOMB)]),
    says: ['doc/paper.en.md:7:8: error: front matter is not read: its aliases expand to more than 100 values [front-matter-yaml]', 'hint: write the values out'],
  },
  {
    name: 'an alias bomb in a packet',
    run: () => cli(['check', copySource({ 'packets/political.yaml': prepend(BOMB) })]),
    says: ['packets/political.yaml:2:8: error: packet is not read: its aliases expand to more than 100 values [packet-yaml]'],
  },
  {
    name: 'an alias bomb in a termbase',
    run: () => cli(['check', copySource({ 'china-lac-policy/termbase.yaml': prepend(BOMB) })]),
    says: ['china-lac-policy/termbase.yaml:2:8: error: termbase is not read: its aliases expand to more than 100 values [packet-yaml]'],
  },
  {
    name: 'an alias bomb in a translation record',
    run: () => cli(['check', copySource({ 'china-lac-policy/paper.es.sources.yaml': prepend(BOMB) })]),
    says: ['china-lac-policy/paper.es.sources.yaml:2:8: error: translation record is not read: its aliases expand to more than 100 values [translation-record]'],
  },
  {
    name: 'an alias bomb in the config',
    run: () => {
      const project = tempDir();
      writeFileSync(path.join(project, 'editions.config.yaml'), BOMB);
      return cli(['check', oneDocument()], { cwd: project });
    },
    says: ['editions.config.yaml:2:8: error: config is not read: its aliases expand to more than 100 values [config-yaml]'],
  },
  {
    name: 'an alias bomb in UI strings',
    run: () => {
      const templates = tempDir();
      mkdirSync(path.join(templates, 'i18n'));
      writeFileSync(path.join(templates, 'i18n', 'en.yaml'), `${BOMB}locale: en-GB\n`);
      return cli(['check', oneDocument(), '--templates', templates]);
    },
    says: [/i18n\/en\.yaml:2:8: error: UI strings file is not read: its aliases expand to more than 100 values \[i18n-yaml\]/],
  },
  {
    name: 'an alias bomb in the print theme',
    run: () => {
      const templates = tempDir();
      mkdirSync(path.join(templates, 'pdf'));
      writeFileSync(path.join(templates, 'pdf', 'theme.yaml'), BOMB + read(path.join(ROOT, 'templates/pdf/theme.yaml')));
      return cli(['check', oneDocument(), '--templates', templates]);
    },
    says: [/pdf\/theme\.yaml:2:8: error: theme is not read: its aliases expand to more than 100 values \[theme\]/],
  },
  {
    name: 'an alias to no anchor',
    run: () => cli(['check', oneDocument('subtitle: *nothing\n')]),
    says: ['doc/paper.en.md:6:11: error: the alias *nothing names no anchor (&nothing) before it [front-matter-yaml]'],
  },
  {
    name: 'an alias inside the value it names',
    run: () => cli(['check', oneDocument('keywords: &k [a, *k]\n')]),
    says: ['doc/paper.en.md:6:18: error: the alias *k stands inside the value it names [front-matter-yaml]'],
  },

  // Not a file where a file should be, or a file that cannot be read.
  {
    name: 'a folder where a source file should be',
    run: () => {
      const source = oneDocument();
      mkdirSync(path.join(source, 'doc', 'paper.es.md'));
      return cli(['check', source]);
    },
    says: ['doc/paper.es.md: error: the source file is a folder, not a file [file-read]', 'hint: put a regular file at'],
  },
  {
    name: 'a FIFO where a source file should be (it is never opened)',
    run: () => {
      const source = oneDocument();
      mkfifo(path.join(source, 'doc', 'paper.es.md'));
      return cli(['check', source]);
    },
    says: ['doc/paper.es.md: error: the source file is a named pipe (FIFO), not a file [file-read]'],
  },
  {
    name: 'a FIFO where a packet should be',
    run: () => {
      const source = copySource();
      mkfifo(path.join(source, 'packets', 'more.yaml'));
      return cli(['check', source]);
    },
    says: ['packets/more.yaml: error: the packet is a named pipe (FIFO), not a file [file-read]'],
  },
  {
    name: 'a FIFO where the config should be',
    run: () => {
      const project = tempDir();
      mkfifo(path.join(project, 'editions.config.yaml'));
      return cli(['check', oneDocument()], { cwd: project });
    },
    says: ['editions.config.yaml: error: the config file is a named pipe (FIFO), not a file [file-read]'],
  },
  {
    name: 'a FIFO where a template should be',
    run: () => {
      const templates = tempDir();
      mkdirSync(path.join(templates, 'html'));
      mkfifo(path.join(templates, 'html', 'page.hbs'));
      return cli(['check', oneDocument(), '--templates', templates]);
    },
    says: [/html\/page\.hbs: error: the template is a named pipe \(FIFO\), not a file \[file-read\]/],
  },
  {
    name: 'a folder where a termbase should be',
    run: () => {
      const source = copySource();
      const termbase = path.join(source, 'china-lac-policy', 'termbase.yaml');
      rmSync(termbase);
      mkdirSync(termbase);
      return cli(['check', source]);
    },
    says: ['china-lac-policy/termbase.yaml: error: the termbase is a folder, not a file [file-read]'],
  },
  {
    name: 'a symbolic link that loops',
    run: () => {
      const source = oneDocument();
      symlinkSync('paper.es.md', path.join(source, 'doc', 'paper.es.md'));
      return cli(['check', source]);
    },
    says: ['doc/paper.es.md: error: the source file cannot be read: it is a symbolic link that loops (or one of too many links in a row) (ELOOP, stat) [file-read]'],
  },
  {
    name: 'a source file the user may not read',
    skip: !canDropPrivileges,
    run: () => {
      const source = oneDocument();
      chmodSync(path.join(source, 'doc', 'paper.en.md'), 0o000);
      return cli(['check', source], { through: setpriv });
    },
    says: ['doc/paper.en.md: error: the source file cannot be read: permission denied (EACCES, open) [file-read]', 'hint: let the user who runs the build read it'],
  },

  // The output cannot be written.
  {
    name: 'a read-only output parent',
    skip: !canDropPrivileges,
    run: () => {
      const parent = path.join(tempDir(), 'read-only');
      chmodSync(path.dirname(parent), 0o755);
      mkdirSync(parent, { mode: 0o555 });
      return cli(['build', oneDocument(), '--out', path.join(parent, 'dist'), '--format', 'html'], { through: setpriv });
    },
    says: [/read-only: error: the output folder's parent folder cannot be written: permission denied \(EACCES, open\) \[file-write\]\n {2}hint: choose an output folder you may write to/],
  },
  {
    name: 'a read-only file system',
    skip: !canMountTmpfs,
    run: () => {
      const mount = tempDir();
      return cli(['build', oneDocument(), '--out', path.join(mount, 'dist'), '--format', 'html'], { through: withTmpfs(mount, 'ro') });
    },
    says: [/: error: the output folder's parent folder cannot be written: the file system is read-only \(EROFS, open\) \[file-write\]\n {2}hint: build into a folder on a writable disk/],
  },
  {
    name: 'a full disk',
    skip: !canMountTmpfs,
    run: () => {
      const mount = tempDir();
      // A page of about 100 kB on a file system of 64 kB.
      const source = oneDocument('', `# I. One\n\n${'A sentence that fills the disk. '.repeat(3200)}\n`);
      return cli(['build', source, '--out', path.join(mount, 'dist'), '--format', 'html'], { through: withTmpfs(mount, 'size=64k') });
    },
    says: [/\.dist\.staging-\w+\/doc\/doc\.en\.html: error: the output cannot be written: no space is left on the device \(ENOSPC, write\) \[file-write\]\n {2}hint: free some space/],
  },

  // Dates past what the editions can carry.
  {
    name: 'SOURCE_DATE_EPOCH after 2099',
    run: () => cli(['build', oneDocument(), '--out', path.join(tempDir(), 'dist'), '--format', 'epub'], { env: { SOURCE_DATE_EPOCH: '4102444800' } }),
    says: ['error: SOURCE_DATE_EPOCH is 4102444800 (2100-01-01T00:00:00Z), after 2099-12-31T23:59:59Z [environment]', 'set it to a Unix time up to 4102444799'],
  },
  {
    name: 'a date of issue in 2100, refused at its place',
    run: () => {
      const source = oneDocument();
      const file = path.join(source, 'doc', 'paper.en.md');
      writeFileSync(file, read(file).replace('issued: 2024-01-01', 'issued: 2100-01-01'));
      return cli(['build', source, '--out', path.join(tempDir(), 'dist'), '--format', 'epub']);
    },
    says: ['doc/paper.en.md:4:9: error: front matter key "issued": 2100-01-01 is out of range: dates run from 0001-01-01 to 2099-12-31 [front-matter-schema]', 'hint: the editions carry dates from 0001-01-01 to 2099-12-31'],
  },
  {
    name: 'a packet dated 2100',
    run: () => cli(['check', copySource({ 'packets/political.yaml': (t) => t.replace('date: 2026-11-28', 'date: 2100-11-28') })]),
    says: [/packets\/political\.yaml:\d+:7: error: packet key "date": 2100-11-28 is out of range: dates run from 0001-01-01 to 2099-12-31 \[packet-schema\]/],
  },

  // Malformed percent-escapes.
  {
    name: 'a malformed percent-escape in a packet text\'s link',
    run: () =>
      cli(['build', copySource({ 'packets/political.yaml': (t) => t.replace('based on the Five Principles', 'based on the [Five Principles](#%ZZ) and [more](#%E0%A4%A)') }), '--out', path.join(tempDir(), 'dist'), '--format', 'html', '-q']),
    status: 0,
    says: [],
  },
  {
    name: 'a malformed percent-escape in a link and an image',
    run: () => cli(['check', '--strict', oneDocument('', '# I. One\n\nSee [there](#i%E0%A4%A).\n\n![A chart](chart%ZZ.png)\n')]),
    says: [
      'doc/paper.en.md:10:5: error: the link points at "#i%E0%A4%A", which is no section or paragraph of this document; its text is kept, unlinked [broken-link]',
      'doc/paper.en.md:12:1: error: the image "chart%ZZ.png" cannot be read; its alternative text is set instead [image]',
    ],
  },

  // The command line.
  {
    name: 'an unknown format (the command line: exit 2)',
    run: () => cli(['build', '--format', 'pdff']),
    status: 2,
    says: ['error: unknown format "pdff" [cli-usage]'],
  },
];

describe('faults of the input and the machine', () => {
  for (const c of CASES) {
    it.skipIf(c.skip)(c.name, () => {
      const r = c.run();
      expect(r.status, r.stderr).toBe(c.status ?? 1);
      for (const s of c.says) {
        if (typeof s === 'string') expect(r.stderr).toContain(s);
        else expect(r.stderr).toMatch(s);
      }
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr).not.toMatch(/^\s+at /m);
    });
  }
});

describe('errno messages', () => {
  const errno = (code: string, syscall: string, file: string) => Object.assign(new Error(`${code}: something, ${syscall} '${file}'`), { code, syscall, path: file });

  it.each(['EISDIR', 'EACCES', 'ENOSPC', 'EROFS', 'ENOENT', 'ELOOP', 'EMFILE'])('%s names the file, with a rule id and a hint, reading and writing', (code) => {
    for (const [syscall, rule] of [
      ['open', 'file-write'],
      ['read', 'file-read'],
      ['write', 'file-write'],
      ['scandir', 'file-read'],
    ] as const) {
      const d = fileProblem(errno(code, syscall, '/srv/site/dist/x.html'));
      expect(d.ruleId, `${code} ${syscall}`).toBe(rule);
      expect(d.file).toBe('/srv/site/dist/x.html');
      expect(d.message).toContain(`(${code}, ${syscall})`);
      expect(d.message).not.toContain('something');
      expect(d.hint!.length).toBeGreaterThan(10);
    }
  });

  it('says what each means', () => {
    const say = (code: string, syscall = 'write') => formatDiagnostic(fileProblem(errno(code, syscall, '/srv/x')), '/srv');
    expect(say('EMFILE', 'open')).toBe('x: error: this file cannot be written: too many files are open in this process (EMFILE, open) [file-write]\n  hint: raise the limit of open files (ulimit -n), then run again');
    expect(say('ENOSPC')).toContain('no space is left on the device (ENOSPC, write)');
    expect(say('EROFS', 'mkdir')).toBe('x: error: this folder cannot be made: the file system is read-only (EROFS, mkdir) [file-write]\n  hint: build into a folder on a writable disk (--out)');
    expect(say('EISDIR', 'read')).toContain('this file cannot be read: it is a folder, not a file (EISDIR, read) [file-read]');
    expect(say('ELOOP', 'stat')).toContain('a symbolic link that loops');
    expect(say('EACCES', 'scandir')).toContain('x: error: this folder cannot be read: permission denied (EACCES, scandir) [file-read]');
    expect(say('ENOENT', 'rename')).toContain('(ENOENT, rename)');
    expect(say('EWHATEVER')).toBe('x: error: this file cannot be written: something (EWHATEVER, write) [file-write]\n  hint: check the file and the disk, then run again');
  });
});

/** Characters XML 1.0 forbids, and the non-characters: none may reach an output. */
const FORBIDDEN = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\p{Cs}\p{Noncharacter_Code_Point}]/u;

describe('characters no edition can carry', () => {
  /** Front matter (written, and escaped in a quoted value) and the text, each with such characters. */
  const SOURCE = [
    '---',
    'title: "Control \\e[31mred\\x01 and \\uD800 alone"',
    'issuer: Office\u0001 of Tests',
    'issued: 2024-01-01',
    'language: en',
    'subtitle: Not\uFFFF a character',
    '---',
    '',
    '# I. One\u001b[2J heading',
    '',
    'Text\u000bwith\u000cbreaks, \u0001 a start, \uFFFF \uFDD0 \u{1FFFF} done.',
    '',
    '# II. Empty \u001b[31msection',
    '',
  ].join('\n');

  it('reports each at its place, leaves it out (a vertical tab or form feed is a space) in every format, and every output is valid', () => {
    const source = tempDir();
    mkdirSync(path.join(source, 'doc'));
    writeFileSync(path.join(source, 'doc', 'paper.en.md'), SOURCE);
    const out = path.join(tempDir(), 'dist');
    const r = cli(['build', source, '--out', out], { cwd: source });
    expect(r.status, r.stderr).toBe(0);
    const at = (place: string, what: string, done = 'left out') => `doc/paper.en.md:${place}: warning: ${what} cannot be set in any edition: it is ${done} [invalid-character]`;
    expect(r.stderr).toContain('doc/paper.en.md:2:8: warning: the value holds U+001B (a control character), U+0001 (a control character), U+D800 (half of a surrogate pair, alone), which no edition can set: the value is read without them [invalid-character]');
    expect(r.stderr).toContain(at('3:15', 'U+0001 (a control character)'));
    expect(r.stderr).toContain(at('6:14', 'U+FFFF (a code point that is not a character)'));
    expect(r.stderr).toContain(at('9:9', 'U+001B (a control character)'));
    expect(r.stderr).toContain(at('11:5', 'U+000B (a control character)', 'set as a space'));
    expect(r.stderr).toContain(at('11:10', 'U+000C (a control character)', 'set as a space'));
    expect(r.stderr).toContain(at('11:19', 'U+0001 (a control character)'));
    expect(r.stderr).toContain(at('11:30', 'U+FFFF (a code point that is not a character)'));
    expect(r.stderr).toContain(at('11:32', 'U+FDD0 (a code point that is not a character)'));
    expect(r.stderr).toContain(at('11:34', 'U+1FFFF (a code point that is not a character)'));
    expect(r.stderr).toContain('hint: delete it from the source, or write the character that was meant');
    // The heading's escape sequence is no longer in its text, and no message prints one.
    expect(r.stderr).toContain('doc/paper.en.md:13:1: warning: section "II. Empty [31msection" has no text and no subsections [empty-section]');
    expect(r.stderr).not.toMatch(FORBIDDEN);

    const text = 'Text with breaks,  a start,    done.';
    const html = read(path.join(out, 'doc/doc.en.html'));
    const epub = unzipSync(readFileSync(path.join(out, 'doc/doc.en.epub')));
    const docx = unzipSync(readFileSync(path.join(out, 'doc/doc.en.docx')));
    const parts: [string, string][] = [
      ['doc.en.html', html],
      ...Object.entries(epub).map(([name, data]): [string, string] => [`epub ${name}`, new TextDecoder().decode(data)]),
      ...Object.entries(docx).map(([name, data]): [string, string] => [`docx ${name}`, new TextDecoder().decode(data)]),
    ];
    for (const [name, xml] of parts.filter(([name]) => /\.(x?html|xml|opf|rels)$/.test(name))) {
      expect(xml, name).not.toMatch(FORBIDDEN);
      expect(XMLValidator.validate(xml), name).toBe(true);
    }
    expect(html).toContain(`<p id="i-p1">${text}</p>`);
    expect(html).toContain('<title>Control [31mred and  alone</title>');
    expect(new TextDecoder().decode(epub['EPUB/package.opf'])).toContain('<dc:title>Control [31mred and  alone</dc:title>');
    const body = new TextDecoder().decode(docx['word/document.xml']).replace(/<[^>]+>/g, '');
    expect(body).toContain(text);
    expect(body).toContain('Office of Tests');
    expect(readFileSync(path.join(out, 'doc/doc.en.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('in a packet, at its place in the packet file', () => {
    const source = copySource({
      'packets/economic-trade.yaml': (t) => t.replace('  - en: "China will expand', '  - en: "China\\x01 will expand').replace('mediante la consulta y', 'mediante la consulta\u001b y'),
    });
    const r = cli(['build', source, '--out', path.join(tempDir(), 'dist'), '--format', 'html', '-q']);
    expect(r.status, r.stderr).toBe(0);
    const line = read(path.join(source, 'packets/economic-trade.yaml')).split('\n')[28]!;
    expect(r.stderr).toContain(`packets/economic-trade.yaml:29:${line.indexOf('\u001b') + 1}: warning: U+001B (a control character) cannot be set in any edition: it is left out [invalid-character]`);
    expect(r.stderr).toContain('packets/economic-trade.yaml:28:9: warning: the value holds U+0001 (a control character), which no edition can set: the value is read without them [invalid-character]');
  });

  it('in a template, an error at its place', () => {
    const templates = tempDir();
    mkdirSync(path.join(templates, 'html', 'partials'), { recursive: true });
    writeFileSync(path.join(templates, 'html', 'partials', 'colophon.hbs'), '<footer>\n<p>{{issuer}}\u0007</p>\n</footer>\n');
    const r = cli(['check', oneDocument(), '--templates', templates]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/html\/partials\/colophon\.hbs:2:14: error: U\+0007 \(a control character\) cannot be set in any edition \[invalid-character\]\n {2}hint: delete it from the template/);
  });
});

describe('messages escape control characters', () => {
  it('escapes a terminal escape sequence in a path the user gave', () => {
    const r = cli(['check', '\u001b[2J\u001b[31mnowhere']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error: source folder "\\x1B[2J\\x1B[31mnowhere" does not exist [source-missing]');
    expect(r.stderr).not.toContain('\u001b');
  });

  it('writes C0 and C1 controls, bidirectional overrides and lone surrogates as escapes', () => {
    expect(escapeControls('a\u001b[31mb\tc\nd\re\u009bf\u202eg\ud800h\u0000')).toBe('a\\x1B[31mb\\tc\\nd\\re\\x9Bf\\u202Eg\\uD800h\\x00');
    expect(escapeControls('plain — 中文 ✓ 😀')).toBe('plain — 中文 ✓ 😀');
  });
});
