#!/usr/bin/env node
// The compiled command line lives in lib/ (built by `npm ci` through the prepare script).
let main;
try {
  ({ main } = await import('../lib/cli.js'));
} catch (e) {
  // The file system failed the loading of the tool itself (too many open files under a low
  // `ulimit -n`, an unreadable install): say so with the file, as the tool says every such problem.
  if (typeof e?.code !== 'string' || !/^E[A-Z]+$/.test(e.code) || !e.path) throw e;
  process.stderr.write(
    `${e.path}: error: the tool cannot be loaded: ${e.message.replace(/^E[A-Z]+: /, '').split(',')[0]} (${e.code}) [file-read]\n` +
      `  hint: ${e.code === 'EMFILE' || e.code === 'ENFILE' ? 'raise the limit of open files (ulimit -n), then run again' : 'check the installation (npm ci)'}\n`,
  );
  process.exit(1);
}

process.exitCode = await main(process.argv.slice(2));
