import { EntityManager } from 'typeorm';
import { CustomerMessage } from '../../entities';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { Notifier } from '../visits/notifier';
import { VisitContext } from '../visits/visit-context';
import { CustomerLinkOutcome, VisitMessage } from '../visits/visit-decision';

const ROLES = ['specialist', 'supervisor', 'dept_head', 'manager'] as const;

/** Why a WeChat customer's link did not reach them, as the visitors read it. */
const OUTCOME_TEXT: Record<CustomerLinkOutcome, string> = {
  sent: '已送达',
  unsent: '群发任务超时仍未确认发送',
  not_friend: '住户已不是该员工的企业微信客户',
  cap_reached: '住户本月（或本周、本日）可接收的群发消息已达上限',
  task_gone: '群发任务已在企业微信中被删除',
  member_left: '发送员工已离职或不在通讯录',
  unknown_customer: '住户的微信客户身份无效或已过期',
  not_created: '平台拒绝发送',
  not_following: '住户未关注（或已取消关注）公众号',
  template_not_owned: '公众号没有所设的消息模板',
};

/**
 * Writes the tracking row of a mass-send task in the transaction that queued its outbox row
 * (docs/wecom.md §7.1): from here the customer-messages job follows it.
 */
export async function trackCustomerLink(
  manager: EntityManager,
  ctx: VisitContext,
  task: { dedupeKey: string; sender: string; externalUserId: string; now: Date; route?: CustomerMessage['route'] },
): Promise<void> {
  if (!ctx.resident) return;
  await manager.insert(CustomerMessage, {
    route: task.route ?? 'external',
    officeId: ctx.office.id,
    visitId: ctx.visit.id,
    residentId: ctx.resident.id,
    externalUserId: task.externalUserId,
    sender: task.sender,
    dedupeKey: task.dedupeKey,
    status: 'queued',
    nextCheckAt: task.now,
    createdAt: task.now,
    updatedAt: task.now,
  });
}

/** Renders and queues the two messages about a WeChat customer's route; the dedupe keys queued. */
export async function queueCustomerLinkMessage(
  manager: EntityManager,
  ctx: VisitContext,
  message: Extract<VisitMessage, { kind: 'customer_link_reminder' | 'customer_route_failed' }>,
  deps: { notifier: Notifier; surveyUrl: string; now: Date; prompt: boolean },
): Promise<string[]> {
  const v = ctx.visit;
  const who = `${ctx.resident?.name ?? '住户'}（${v.unitId ?? ctx.resident?.id ?? ''}）`;
  const notice = (title: string, lines: string[]) =>
    renderPlainNotice({ title, lines, uniqueTag: `#${v.id} ${title} ${deps.now.toISOString().slice(0, 16)}`, officeName: ctx.office.name });
  const keys: string[] = [];
  if (message.kind === 'customer_link_reminder') {
    const everyone = [...ctx.assignees, ...(await Promise.all(ROLES.map((r) => ctx.withRole(r)))).flat()];
    const staff = everyone.find((s) => s.wecomUserId === message.sender) ?? ctx.assignees.find((s) => s.wecomUserId);
    if (!staff) return [];
    const key = await deps.notifier.tellStaff(manager, ctx.office, staff, {
      key: `customer-link-reminder:${v.id}`,
      purpose: 'customer_link_reminder',
      visitId: v.id,
      payload: notice('请确认发送回访问卷', [
        `住户 ${who} 在等「${ctx.title}」的回访问卷链接。`,
        '请打开企业微信「客户联系 → 群发助手」，确认发送给该住户的消息。',
        `${localTime(ctx, message.phoneAt)} 前仍未发送，将转为电话回访。`,
      ]),
      now: deps.now,
      prompt: deps.prompt,
    });
    return key ? [key] : [];
  }
  const phone = ctx.resident?.phone ?? '未登记';
  const lines =
    message.to === 'none'
      ? [`住户 ${who} 未能通过微信收到「${ctx.title}」的回访问卷：${OUTCOME_TEXT[message.outcome]}。`, `请电话回访（${phone}），或把问卷链接发给住户：${deps.surveyUrl}`]
      : [`住户 ${who} 未能通过企业微信客户群发收到「${ctx.title}」的回访问卷：${OUTCOME_TEXT[message.outcome]}。`, '已改由公众号消息发送问卷链接。'];
  for (const member of ctx.assignees) {
    const key = await deps.notifier.tellStaff(manager, ctx.office, member, {
      key: `customer-route-failed:${v.id}:${message.outcome}`,
      purpose: 'customer_route_failed',
      visitId: v.id,
      payload: notice(message.to === 'none' ? '请电话回访' : '回访问卷改由公众号发送', lines),
      now: deps.now,
      prompt: deps.prompt,
    });
    if (key) keys.push(key);
  }
  return keys;
}

function localTime(ctx: VisitContext, at: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: ctx.zone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}
