import { EntityManager } from 'typeorm';
import { Office, Project, StaffMember, WarrantyRepair } from '../../entities';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
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
 * sign-off link (to the owner in chat when the owner is in the office's directory, else to the
 * lead to pass on). Every message is keyed by (repair, what), so a repeat queues nothing.
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
        return this.ownerSignOff(manager, p, what, now);
    }
  }

  private async ownerSignOff(manager: EntityManager, p: RepairParties, what: string, now: Date): Promise<number> {
    const url = this.signOffUrl(p.repair.id, now);
    const channel = this.deps.notifier.channelOf(p.office);
    const address = channel === 'wecom' ? p.project.owner.wecomUserId : p.project.owner.dingtalkUserId;
    if (address) {
      return count(await enqueue(
        manager,
        {
          officeId: p.office.id,
          dedupeKey: `repair:${p.repair.id}:signoff:owner`,
          channel,
          purpose: 'warranty_repair_signoff',
          recipientKind: 'resident',
          recipientId: `project:${p.project.id}`,
          address,
          payload: messagePayload(this.notice(p, '保修维修完成，请验收签认', [what, '维修已完成，请查看后点「确认验收」。'], { text: '确认验收', url })),
          // The owner is messaged like a resident: never at night where the building stands.
          notBefore: deferPastQuietHours(now, p.zone, resolvePolicy(p.office.policy).residentQuietHours),
        },
        now,
      ));
    }
    if (!p.lead?.active) return 0;
    return count(await this.deps.notifier.tellStaff(manager, p.office, p.lead, {
      key: `repair:${p.repair.id}:signoff-link`,
      purpose: 'warranty_repair_signoff_link',
      payload: this.notice(p, '请建设单位验收签认', [what, `维修已完成。请把链接发给${p.project.owner.name}，对方点「确认验收」即完成签认：${url}`]),
      now,
    }));
  }

  private notice(p: RepairParties, title: string, lines: string[], link?: { text: string; url: string }) {
    return renderPlainNotice({ title, lines, link, uniqueTag: `repair:${p.repair.id} ${title}`, officeName: p.office.name });
  }

  private local(p: RepairParties, at: Date): string {
    return new Intl.DateTimeFormat('zh-CN', { timeZone: p.zone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
  }
}

/** One when a message was queued now, none when it was queued before (its key names it). */
const count = (queued: string | null): number => (queued === null ? 0 : 1);
