/**
 * The documented exit statuses: 0 success, 1 input, 2 usage, 70 bug. 0, 1 and 2 are also tested
 * command by command (cli.test.ts, report.test.ts, ids.test.ts, ...); 70 has no test, as no
 * input reaches a bug on purpose and the tool has no hook to make one.
 */
import { describe, expect, it } from 'vitest';
import { copySource, runCli } from './helpers.js';

describe('exit status', () => {
  it('is listed in --help', () => {
    const help = runCli(['--help']).stdout;
    expect(help).toContain('Exit status:\n  0    success (warnings may have been printed)\n  1    input:');
    expect(help).toContain('\n  2    usage: the command line is not understood\n  70   a bug in editions');
  });

  it('is 0 with warnings, 1 with an error in the source, 2 for a command line not understood', () => {
    const warned = copySource({ 'china-lac-policy/paper.en.md': (t) => t.replace('### (1) Trade', '#### (1) Trade') });
    expect(runCli(['check', warned]).status).toBe(0);
    const broken = copySource({ 'china-lac-policy/paper.en.md': (t) => t.replace('issued: 2008-11-05', 'issued: someday') });
    expect(runCli(['check', broken]).status).toBe(1);
    expect(runCli(['ids', 'china-lac-policy', broken]).status).toBe(1);
    expect(runCli(['check', '--strict=yes']).status).toBe(2);
    expect(runCli(['ids', 'china-lac-policy', '--report', 'json']).status).toBe(2);
  });
});
