import { EntityManager, In } from 'typeorm';
import { VisitHistoryEntry } from '../../entities';
import { VisitCommand } from './visit-decision';

/** The history action of a survey link a staff member put into the resident's chat. */
export const SURVEY_LINK_SENT = 'survey_link_sent';

/**
 * The lifecycle command recording that a staff member sent the visit's survey link into the
 * resident's chat by `via` (the WeCom chat sidebar: `sidebar`); `link` names the link (its
 * nonce). Run it with the staff member as actor: the history says who sent it, and the send
 * counts as asking the resident (the schedule does not ask again; it re-asks from it).
 */
export function surveyLinkSent(via: string, link: string): VisitCommand {
  return { type: 'note_staff_action', action: SURVEY_LINK_SENT, details: { via, link } };
}

/** When a survey link last went into each visit's chat (any `via`, or only `via`); visits without one are absent. */
export async function surveyLinksSentAt(manager: EntityManager, visitIds: number[], via?: string): Promise<Map<number, Date>> {
  const sent = new Map<number, Date>();
  if (visitIds.length === 0) return sent;
  const rows = await manager.getRepository(VisitHistoryEntry).find({ where: { visitId: In(visitIds), action: SURVEY_LINK_SENT }, order: { at: 'ASC' } });
  for (const row of rows) if (via === undefined || row.details?.via === via) sent.set(row.visitId, row.at);
  return sent;
}
