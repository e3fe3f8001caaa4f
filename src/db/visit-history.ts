import { EntityManager } from 'typeorm';
import { insertStatement } from './bulk-insert';
import { runTogether, Statement } from './statements';
import { VisitHistoryEntry } from '../../entities';

export interface HistoryDraft {
  visitId: number;
  at: Date;
  actor: string;
  actorKind: VisitHistoryEntry['actorKind'];
  action: string;
  details?: Record<string, unknown> | null;
}

/** Appends entries to visits' histories (never updates or deletes one). */
export async function recordHistory(manager: EntityManager, entries: HistoryDraft[]): Promise<void> {
  await runTogether(manager, [historyStatement(manager, entries)]);
}

/** The statement `recordHistory` sends, to send with others; null for no entries. */
export function historyStatement(manager: EntityManager, entries: HistoryDraft[]): Statement | null {
  return insertStatement(
    manager,
    VisitHistoryEntry,
    entries.map((e) => ({ ...e, details: e.details ?? null })),
  );
}
