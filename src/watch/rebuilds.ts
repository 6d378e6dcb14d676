/**
 * When `editions watch` builds: a burst of file events (an editor's save is often several: a
 * truncate and a write, or a temporary file renamed over the old one) makes one build, started
 * DEBOUNCE_MS after the last event. Never two builds at once: a change during a build queues one
 * more, run when it ends, however many changes came.
 */
export const DEBOUNCE_MS = 50;

export class Rebuilds {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private queued = false;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly delay = DEBOUNCE_MS,
  ) {}

  /** Asks for a build: after the debounce, or after the build under way. */
  request(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.start();
    }, this.delay);
  }

  /** A change came that the build under way may not have seen: the build can skip its slow part. */
  get waiting(): boolean {
    return this.timer !== undefined || this.queued;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async start(): Promise<void> {
    if (this.running) {
      this.queued = true;
      return;
    }
    this.running = true;
    try {
      await this.run();
    } finally {
      this.running = false;
    }
    if (this.queued && !this.stopped) {
      this.queued = false;
      await this.start();
    }
  }
}
