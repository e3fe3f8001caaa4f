import { EntityManager } from 'typeorm';
import { insertRows } from './bulk-insert';
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
  if (entries.length === 0) return;
  await insertRows(
    manager,
    VisitHistoryEntry,
    entries.map((e) => ({ ...e, details: e.details ?? null })),
  );
}
