import { createHash } from 'node:crypto';
import { Visit } from '../../entities';

/** What a card asks of its recipient; the outbox row's `purpose` names the same thing. */
export enum CardPurpose {
  StaffReminder = 'visit_reminder',
  ResidentSurvey = 'resident_survey',
  ResidentConfirmation = 'resident_confirmation',
  StaffConfirmation = 'staff_confirmation',
  SupervisorReview = 'supervisor_review',
  ManagerEscalation = 'manager_escalation',
  ResidentResolution = 'resident_resolution',
  /** One call of a campaign caller's morning list (src/campaigns/morning-calls.ts). */
  CampaignCall = 'campaign_call',
}

const CODES: Record<CardPurpose, string> = {
  [CardPurpose.StaffReminder]: 'rem',
  [CardPurpose.ResidentSurvey]: 'sat',
  [CardPurpose.ResidentConfirmation]: 'rcf',
  [CardPurpose.StaffConfirmation]: 'scf',
  [CardPurpose.SupervisorReview]: 'rev',
  [CardPurpose.ManagerEscalation]: 'esc',
  [CardPurpose.ResidentResolution]: 'res',
  [CardPurpose.CampaignCall]: 'cc',
};

/**
 * The card id (WeCom `task_id`, DingTalk `outTrackId`) of one card to one person. It must be
 * unique for the app forever, so besides the visit it carries the visit's creation second
 * (ids restart in a new database, an app's task ids do not) and a hash of the recipient; it
 * is deterministic, so a job that queues the same card again produces the same id. At most
 * 64 characters of `[0-9A-Za-z_-]`.
 */
export function visitCardId(visit: Pick<Visit, 'id' | 'createdAt'>, purpose: CardPurpose, step: string, recipientId: string): string {
  const created = Math.floor(visit.createdAt.getTime() / 1000).toString(36);
  const who = createHash('sha256').update(recipientId).digest('hex').slice(0, 8);
  return `hf_${visit.id}_${created}_${CODES[purpose]}_${step.replace(/[^0-9A-Za-z]/g, '')}_${who}`.slice(0, 64);
}
