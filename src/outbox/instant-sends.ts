import { EntityManager } from 'typeorm';
import { BackgroundWork } from '../callbacks/background-work';
import { OutboxDispatcher } from './dispatcher';

/**
 * Sends what a person just caused — the next card after a tap, the tapped card's grey-out,
 * the resident's card after a staff record, the review card after a resident's 确认 — from
 * the instance that handled the person, as soon as the transaction that queued it has
 * committed, instead of at the next dispatch tick.
 *
 * The rows are claimed for this instance in the very transaction that queues them (`hold`),
 * with the dispatcher's own lease, so no sweep on any instance can take them before this one
 * sends them (`send`, after the commit) and nothing goes twice; should the process stop in
 * between, the lease runs out and a sweep sends them. Pacing per person holds (a send that
 * would break it is put back for the schedule), and a send that fails is retried by it.
 */
export class InstantSends {
  constructor(private readonly deps: { dispatcher: OutboxDispatcher; background: BackgroundWork }) {}

  /** Inside the transaction that queued them: claims these rows for this instance. */
  hold(manager: EntityManager, dedupeKeys: string[]): Promise<void> {
    return this.deps.dispatcher.hold(manager, dedupeKeys);
  }

  /**
   * After the commit: sends the rows `hold` claimed; not awaited (tracked as background work,
   * so shutdown and tests can wait for it).
   */
  send(dedupeKeys: string[]): void {
    if (dedupeKeys.length === 0) return;
    const keys = [...new Set(dedupeKeys)];
    this.deps.background.run('instant send', () => this.deps.dispatcher.sendNow(keys));
  }
}
