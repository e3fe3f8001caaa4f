import { EntityManager } from 'typeorm';
import { OutboundMessage, RepairStatus, WarrantyRepair } from '../../entities';
import { OWNER_SIGNOFF_ANSWERED, OWNER_SIGNOFF_KEYS, OwnerSignOffAnswer } from '../../cards/owner-signoff.card';
import { CallbackEvent, RenderedMessage } from '../channels/channel';
import { OtherCardTaps } from '../callbacks/card-update';
import { Clock } from '../clock';
import { ProjectService } from './project.service';
import { signOffRound } from './repair-lifecycle';
import { RepairMessages, SIGNOFF_PURPOSE, signOffCardOf } from './repair-messages';
import { WarrantyRepairs } from './repair.service';

type CardAction = Extract<CallbackEvent, { type: 'card_action' }>;

/** The owner's answer a repair holds; null while none is given in the current round. */
export function ownerAnswerOf(repair: Pick<WarrantyRepair, 'status'>): OwnerSignOffAnswer | null {
  return repair.status === RepairStatus.SignedOff ? 'accepted' : repair.status === RepairStatus.NotAccepted ? 'not_accepted' : null;
}

/**
 * The owner's taps on the sign-off card (验收签认, docs/rules.md §7): 签认 accepts the repair, 不满意
 * sends it back to the lead and the supervisors — the same `sign_off` step as the signed page,
 * so the first answer stands whichever way it came, and a second tap or the page after it shows
 * that answer without recording anything again. The card is then shown answered with the
 * repair's answer (not the tap's). A card of an earlier round (before a rework) answers nothing.
 */
export class RepairCardTaps implements OtherCardTaps {
  constructor(private readonly deps: { clock: Clock; repairs: WarrantyRepairs; messages: RepairMessages; projects: ProjectService }) {}

  handles(purpose: string): boolean {
    return purpose === SIGNOFF_PURPOSE;
  }

  async take(manager: EntityManager, card: OutboundMessage, event: CardAction): Promise<{ done: string; answered?: RenderedMessage } | null> {
    const named = signOffCardOf(card.cardId);
    const key = event.actionKey;
    if (!named || (key !== OWNER_SIGNOFF_KEYS.accept && key !== OWNER_SIGNOFF_KEYS.reject)) return null;
    const { repairId, round } = named;
    const current = await manager.findOneBy(WarrantyRepair, { id: repairId });
    if (!current) return null;
    if (round !== signOffRound(current)) return { done: '此验收已更新，请以最新的卡片为准' };
    const repair = await this.deps.repairs.stepIn(manager, repairId, { type: 'sign_off', via: `${event.channel}:${event.userId}`, accepted: key === OWNER_SIGNOFF_KEYS.accept });
    const answer = ownerAnswerOf(repair);
    if (!answer) return { done: '已处理' };
    const setting = await this.deps.projects.setting(manager, repair.projectId);
    if (!setting) return { done: OWNER_SIGNOFF_ANSWERED[answer] };
    const now = this.deps.clock.now();
    const answered = this.deps.messages.signOffCard({ ...setting, repair }, card.cardId!, this.deps.messages.signOffUrl(repair.id, now), now, answer);
    return { done: OWNER_SIGNOFF_ANSWERED[answer], answered };
  }
}
