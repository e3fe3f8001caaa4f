import { EntityManager } from 'typeorm';
import { Office, Project, StaffMember, WarrantyRepair } from '../../entities';
import { OwnerSignOffAnswer, render as renderOwnerSignOff } from '../../cards/owner-signoff.card';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { RenderedMessage } from '../channels/channel';
import { enqueue } from '../outbox/outbox';
import { messagePayload } from '../outbox/outbox-payload';
import { deferPastQuietHours } from '../rules/quiet-hours';
import { resolvePolicy } from '../rules/office-policy';
import { SignedLinks } from '../survey/signed-link';
import { Notifier } from '../visits/notifier';
import { RepairMessage } from './repair-lifecycle';

/** Sign-off links stay valid 30 days: the owner may look at the repair on site first. */
const SIGNOFF_LINK_SECONDS = 30 * 86_400;

const DEADLINE_WORDS = { onsite: '24 小时内到场', solve: '15 日内修复' } as const;

/** One repair's parties, as its messages name them. */
export interface RepairParties {
  repair: WarrantyRepair;
  project: Project;
  office: Office;
  zone: string;
  lead: StaffMember | null;
}

/**
 * Renders what the repair lifecycle decided to tell and queues it in the caller's transaction:
 * reminders to the warranty lead, escalations to the supervisors, and the owner's one-tap
 * sign-off (a card with 签认 / 不满意 to the owner in chat when the owner is in the office's
 * directory, else the signed link to the lead to pass on), and the owner's "not satisfied" to the
 * lead and the supervisors. Every message is keyed by (repair, what), so a repeat queues nothing.
 */
export class RepairMessages {
  constructor(private readonly deps: { notifier: Notifier; links: SignedLinks; publicBaseUrl: string }) {}

  signOffUrl(repairId: number, now: Date): string {
    return `${this.deps.publicBaseUrl}/w/${this.deps.links.issue({ visitId: 0, purpose: 'repair_signoff', repairId }, now, SIGNOFF_LINK_SECONDS)}`;
  }

  async queue(manager: EntityManager, p: RepairParties, message: RepairMessage, now: Date): Promise<number> {
    const r = p.repair;
    const what = `${p.project.name}「${r.location}」${r.description.slice(0, 40)}`;
    switch (message.kind) {
      case 'lead_reminder':
        if (!p.lead?.active) return 0;
        return count(await this.deps.notifier.tellStaff(manager, p.office, p.lead, {
          key: `repair:${r.id}:remind:${message.deadline}`,
          purpose: 'warranty_repair_reminder',
          payload: this.notice(p, '保修维修时限将到', [what, `时限：${DEADLINE_WORDS[message.deadline]}，截止 ${this.local(p, message.deadline === 'onsite' ? r.onSiteBy : r.solveBy)}。`]),
          now,
        }));
      case 'supervisor_escalation':
        return (await this.deps.notifier.tellSupervisors(manager, p.office, {
          key: `repair:${r.id}:missed:${message.deadline}`,
          title: '保修维修超时',
          lines: [what, `未能${DEADLINE_WORDS[message.deadline]}（截止 ${this.local(p, message.deadline === 'onsite' ? r.onSiteBy : r.solveBy)}），负责人：${p.lead?.name ?? p.project.warrantyLeadId}。`],
          now,
        })).length;
      case 'owner_signoff':
        return this.ownerSignOff(manager, p, what, message.round, now);
      case 'owner_not_accepted': {
        const lines = [what, `建设单位（${p.project.owner.name}）对维修验收不满意，请联系建设单位并返修，完成后再次登记完成。`];
        let queued = (await this.deps.notifier.tellSupervisors(manager, p.office, { key: `repair:${r.id}:not-accepted:${r.history.length}`, title: '保修维修验收不满意', lines, now })).length;
        if (p.lead?.active) {
          queued += count(await this.deps.notifier.tellStaff(manager, p.office, p.lead, {
            key: `repair:${r.id}:not-accepted:${r.history.length}`,
            purpose: 'warranty_repair_not_accepted',
            payload: this.notice(p, '保修维修验收不满意', lines),
            now,
          }));
        }
        return queued;
      }
    }
  }

  private async ownerSignOff(manager: EntityManager, p: RepairParties, what: string, round: number, now: Date): Promise<number> {
    const url = this.signOffUrl(p.repair.id, now);
    const channel = this.deps.notifier.channelOf(p.office);
    const address = channel === 'wecom' ? p.project.owner.wecomUserId : p.project.owner.dingtalkUserId;
    if (address) {
      const cardId = signOffCardId(p.repair, round);
      return count(await enqueue(
        manager,
        {
          officeId: p.office.id,
          dedupeKey: round > 1 ? `repair:${p.repair.id}:signoff:owner:${round}` : `repair:${p.repair.id}:signoff:owner`,
          channel,
          purpose: SIGNOFF_PURPOSE,
          recipientKind: 'resident',
          recipientId: `project:${p.project.id}`,
          address,
          cardId,
          payload: messagePayload(this.signOffCard(p, cardId, url, now)),
          // The owner is messaged like a resident: never at night where the building stands.
          notBefore: deferPastQuietHours(now, p.zone, resolvePolicy(p.office.policy).residentQuietHours),
        },
        now,
      ));
    }
    if (!p.lead?.active) return 0;
    return count(await this.deps.notifier.tellStaff(manager, p.office, p.lead, {
      key: round > 1 ? `repair:${p.repair.id}:signoff-link:${round}` : `repair:${p.repair.id}:signoff-link`,
      purpose: 'warranty_repair_signoff_link',
      payload: this.notice(p, '请建设单位验收签认', [what, `维修已完成。请把链接发给${p.project.owner.name}，对方点「确认验收」即完成签认：${url}`]),
      now,
    }));
  }

  /** The one-tap sign-off card as sent, or (with `answered`) as it reads once answered. */
  signOffCard(p: Pick<RepairParties, 'repair' | 'project' | 'office' | 'zone'>, cardId: string, url: string, now: Date, answered?: OwnerSignOffAnswer): RenderedMessage {
    const r = p.repair;
    return renderOwnerSignOff({
      cardId,
      officeName: p.office.name,
      project: p.project.name,
      location: r.location,
      description: r.description,
      measures: r.taskSheet?.measures ?? '',
      doneAt: { at: r.doneAt ?? now, zone: p.zone },
      signOffUrl: url,
      answered,
    });
  }

  private notice(p: RepairParties, title: string, lines: string[], link?: { text: string; url: string }) {
    return renderPlainNotice({ title, lines, link, uniqueTag: `repair:${p.repair.id} ${title}`, officeName: p.office.name });
  }

  private local(p: RepairParties, at: Date): string {
    return new Intl.DateTimeFormat('zh-CN', { timeZone: p.zone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
  }
}

/** The outbox purpose of the owner's sign-off card: its taps are the repair's (src/warranty/repair-card-taps.ts). */
export const SIGNOFF_PURPOSE = 'warranty_repair_signoff';

/**
 * The card id of a repair's sign-off card in a round: `hf_r<id>_<created>_so_<round>`, with the
 * repair's creation second (base 36), since WeCom never takes a task id twice and repair ids
 * restart in a new database (as visitCardId does, cards/README.md).
 */
export function signOffCardId(repair: Pick<WarrantyRepair, 'id' | 'createdAt'>, round: number): string {
  return `hf_r${repair.id}_${Math.floor(repair.createdAt.getTime() / 1000).toString(36)}_so_${round}`;
}

/** The repair and round a sign-off card id names; null for any other id. */
export function signOffCardOf(cardId: string | null): { repairId: number; round: number } | null {
  const match = /^hf_r(\d+)_[0-9a-z]+_so_(\d+)$/.exec(cardId ?? '');
  return match ? { repairId: Number(match[1]), round: Number(match[2]) } : null;
}

/** One when a message was queued now, none when it was queued before (its key names it). */
const count = (queued: string | null): number => (queued === null ? 0 : 1);
