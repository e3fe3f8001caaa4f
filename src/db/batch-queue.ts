/** One item's outcome in a batch: its value, or the error that is its own. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Groups calls that arrive together into batches: a call that finds a free runner runs at
 * once (a batch of one); calls that arrive while every runner is busy wait for the next
 * batch, up to `maxBatch` in each. Under load this turns many small transactions into a few
 * larger ones (one commit, bulk statements) without making a lone call wait for anything.
 * With `runners` above one, a batch can be prepared while another waits on the database.
 *
 * Nothing is kept here beyond the calls in flight: a process that stops loses only calls
 * whose callers have not been answered, and they retry.
 */
export class BatchQueue<I, O> {
  private readonly waiting: Array<{ item: I; resolve(value: O): void; reject(error: unknown): void }> = [];
  private busy = 0;

  constructor(
    /** Runs one batch; answers each item in order. Throwing fails every item of the batch. */
    private readonly runBatch: (items: I[]) => Promise<Array<Settled<O>>>,
    private readonly options: { maxBatch: number; runners: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.busy < this.options.runners) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy++;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.options.maxBatch);
        let settled: Array<Settled<O>>;
        try {
          settled = await this.runBatch(batch.map((b) => b.item));
        } catch (error) {
          settled = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((call, i) => {
          const outcome = settled[i] ?? { ok: false, error: new Error('the batch gave no answer for this item') };
          if (outcome.ok) call.resolve(outcome.value);
          else call.reject(outcome.error);
        });
      }
    } finally {
      this.busy--;
    }
  }
}

/** Runs `work` and keeps its value or error as a Settled. */
export async function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error };
  }
}
