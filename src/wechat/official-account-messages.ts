import { EntityManager } from 'typeorm';
import { enqueue } from '../outbox/outbox';
import { deferPastQuietHours } from '../rules/quiet-hours';
import { openIdOf } from '../visits/resident-route';
import { VisitContext } from '../visits/visit-context';
import { CardPurpose } from '../visits/visit-card-ids';
import { trackCustomerLink } from './customer-link-messages';

/** The new templates' `thing` fields take at most 20 characters. */
const FIELD_MAX = 20;

/**
 * Queues the survey link (or the "is it solved?" question) as a template message of the office's
 * Official Account to the resident's openid (route `official_account`, docs/rules.md §3), in the
 * caller's transaction, out of resident quiet hours; the customer-messages job then learns
 * whether WeChat took it and hands the visit to the phone if not.
 */
export async function queueOfficialAccountMessage(
  manager: EntityManager,
  ctx: VisitContext,
  message: { purpose: 'survey' | 'resolution'; attempt: number; at: Date },
  deps: { surveyUrl: string; now: Date; prompt: boolean },
): Promise<string[]> {
  const openId = openIdOf(ctx.resident);
  const template = ctx.policy.officialAccount;
  if (!ctx.resident || !openId || !template) return [];
  const { keys } = template;
  const completed = ctx.order?.completedAt ?? ctx.visit.opensAt;
  const data = {
    [keys.title]: { value: cut(ctx.title) },
    [keys.date]: { value: new Intl.DateTimeFormat('sv-SE', { timeZone: ctx.zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(completed) },
    [keys.note]: { value: message.purpose === 'survey' ? '请点击为本次服务评价，约1分钟' : '请点击告诉我们问题是否已解决' },
  };
  const dedupeKey = `mp-${message.purpose}:${ctx.visit.id}:${message.attempt}:${ctx.resident.id}`;
  const queued = await enqueue(
    manager,
    {
      officeId: ctx.office.id,
      dedupeKey,
      channel: 'wechat_mp',
      purpose: message.purpose === 'survey' ? CardPurpose.ResidentSurvey : CardPurpose.ResidentResolution,
      visitId: ctx.visit.id,
      recipientKind: 'resident',
      recipientId: ctx.resident.id,
      address: openId,
      payload: { kind: 'template_message', templateMessage: { openId, templateId: template.templateId, url: deps.surveyUrl, data } },
      notBefore: deferPastQuietHours(message.at, ctx.zone, ctx.policy.residentQuietHours),
      prompt: deps.prompt,
    },
    deps.now,
  );
  if (!queued) return [];
  await trackCustomerLink(manager, ctx, { dedupeKey, sender: 'official_account', externalUserId: openId, now: deps.now, route: 'official_account' });
  return [queued];
}

function cut(text: string): string {
  const chars = [...text];
  return chars.length <= FIELD_MAX ? text : `${chars.slice(0, FIELD_MAX - 1).join('')}…`;
}
