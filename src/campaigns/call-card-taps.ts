import { EntityManager } from 'typeorm';
import { Campaign, Office, OutboundMessage, Visit, VisitHistoryEntry } from '../../entities';
import { CAMPAIGN_CALL_KEYS, CampaignCallAnswer, campaignCallAnswered } from '../../cards/campaign-call.card';
import { OtherCardTaps } from '../callbacks/card-update';
import { CallbackEvent, RenderedMessage } from '../channels/channel';
import { Clock } from '../clock';
import { lockRows } from '../db/transaction';
import { CardPurpose } from '../visits/visit-card-ids';
import { VisitCommand } from '../visits/visit-decision';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { calleesOf, CallCards } from './call-cards';

type CardAction = Extract<CallbackEvent, { type: 'card_action' }>;

/**
 * The caller's taps on a call card of the morning list (docs/rules.md §8), through the visit
 * lifecycle: 已联系 puts the call in progress (`visit_started`), 未接通 counts an attempt by phone
 * (`call_attempt`: the visit stays open). The first tap on a card stands: a second one records
 * nothing and shows the first answer again. The card greys out with the answer, its record-form
 * row still there. A call already recorded answers with the lifecycle's refusal, as any card.
 */
export class CallCardTaps implements OtherCardTaps {
  constructor(private readonly deps: { clock: Clock; lifecycle: VisitLifecycle; cards: CallCards }) {}

  handles(purpose: string): boolean {
    return purpose === CardPurpose.CampaignCall;
  }

  async take(manager: EntityManager, card: OutboundMessage, event: CardAction): Promise<{ done: string; answered?: RenderedMessage } | null> {
    const key = event.actionKey;
    if (card.visitId === null || (key !== CAMPAIGN_CALL_KEYS.reached && key !== CAMPAIGN_CALL_KEYS.notReached)) return null;
    // The call's row first, so two taps at once (two instances) read each other's history.
    await lockRows(manager, Visit, { id: card.visitId });
    const earlier = await this.earlierTap(manager, card);
    const answer: CampaignCallAnswer = earlier?.answer ?? (key === CAMPAIGN_CALL_KEYS.reached ? 'reached' : 'not_reached');
    let attempts = earlier?.attempts ?? 0;
    if (!earlier) {
      const tapped = { via: 'card', cardId: card.cardId };
      const command: VisitCommand =
        answer === 'reached' ? { type: 'note_staff_action', action: 'visit_started', details: tapped } : { type: 'call_attempt', method: 'phone', via: 'card', details: { cardId: card.cardId } };
      // A call whose day began before the reminders sweep opened its window is opened first.
      const applied = await this.deps.lifecycle.runIn(manager, card.visitId, [{ type: 'open_window' }, command], { kind: 'staff', id: card.recipientId }, { prompt: true });
      attempts = Number(applied.visit.details?.attempts ?? 0);
    }
    const answered = await this.answeredCard(manager, card, { answer, attempts });
    return { done: campaignCallAnswered(answer, attempts), ...(answered ? { answered } : {}) };
  }

  /** What an earlier tap on this card recorded, from the call's history. */
  private async earlierTap(manager: EntityManager, card: OutboundMessage): Promise<{ answer: CampaignCallAnswer; attempts: number } | null> {
    const entries = await manager.find(VisitHistoryEntry, { where: { visitId: card.visitId! }, order: { id: 'ASC' } });
    const tap = entries.find((e) => (e.action === 'visit_started' || e.action === 'call_attempt') && e.details?.cardId === card.cardId);
    if (!tap) return null;
    return tap.action === 'visit_started' ? { answer: 'reached', attempts: 0 } : { answer: 'not_reached', attempts: Number(tap.details?.attempt ?? 1) };
  }

  private async answeredCard(manager: EntityManager, card: OutboundMessage, answered: { answer: CampaignCallAnswer; attempts: number }): Promise<RenderedMessage | null> {
    const visit = await manager.findOneBy(Visit, { id: card.visitId! });
    if (!visit?.campaignId || !card.cardId) return null;
    const [office, campaign, calleeOf] = await Promise.all([
      manager.findOneBy(Office, { id: visit.officeId }),
      manager.findOneBy(Campaign, { id: visit.campaignId }),
      calleesOf(manager, [visit]),
    ]);
    if (!office || !campaign) return null;
    return this.deps.cards.render({ office, campaign, ...calleeOf(visit) }, visit, card.cardId, card.recipientId, this.deps.clock.now(), answered);
  }
}
