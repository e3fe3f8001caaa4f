import { BackgroundWork } from '../callbacks/background-work';
import { OutboxDispatcher } from './dispatcher';

/**
 * Sends what a person just caused — the next card after a tap, the tapped card's grey-out,
 * the resident's card after a staff record, the review card after a resident's 确认 — from
 * the instance that handled the person, as soon as the transaction that queued it has
 * committed, instead of at the next dispatch tick.
 *
 * It takes the rows through the dispatcher's own claim, so nothing can go twice: a row the
 * schedule (or another instance) claimed first is left to it, and pacing per person holds
 * (a send that would break it waits for the schedule). A send that fails is retried by the
 * schedule; a process that stops between commit and send leaves the row due for it.
 */
export class InstantSends {
  constructor(private readonly deps: { dispatcher: OutboxDispatcher; background: BackgroundWork }) {}

  /**
   * Sends the rows with these dedupe keys, after the caller's commit; not awaited (tracked as
   * background work, so shutdown and tests can wait for it).
   */
  send(dedupeKeys: string[]): void {
    if (dedupeKeys.length === 0) return;
    const keys = [...new Set(dedupeKeys)];
    this.deps.background.run('instant send', () => this.deps.dispatcher.sendNow(keys));
  }
}
