import { Logger } from '../log';

/**
 * Work started after an HTTP answer went out (callbacks are acknowledged first). Tracked so
 * shutdown — and tests — can wait until it is done instead of sleeping.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly log: Logger) {}

  run(what: string, work: () => Promise<unknown>): void {
    const task = Promise.resolve()
      .then(work)
      .catch((err: unknown) => this.log.error({ what, err: (err as Error).message }, 'background work failed'))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves when nothing is running (including work started while waiting). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
