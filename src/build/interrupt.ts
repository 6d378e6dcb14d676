/**
 * What must be undone when the process is interrupted (SIGINT, SIGTERM, SIGHUP): a build's
 * staging folder and its lock. A build registers each clean-up here while it holds the thing to
 * clean; the command line (cli.ts) runs them all and exits 128 + the signal's number. The library
 * installs no signal handler of its own: a program that calls build() decides what a signal does
 * (an output left by a killed build is made whole by the next one: see staging.ts).
 *
 * Clean-ups are synchronous: a signal handler runs between two turns of the event loop, and the
 * process exits right after it, so nothing asynchronous would finish.
 */
const cleanups = new Set<() => void>();

/** Registers `cleanup` until the returned function is called. */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/** Runs every registered clean-up, the latest first; one that fails does not stop the others. */
export function runInterruptCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // The next build removes what is left (staging.ts: recoverOutput).
    }
  }
}
