import { roleLabel } from '../../cards/components/labels';
import { StaffRole } from '../rules/kinds';
import { VisitContext } from './visit-context';
import { NoticeTopic } from './visit-decision';

/** The words of each plain notice to supervisors, and its dedupe key. */
export function noticeText(topic: Exclude<NoticeTopic, 'overdue'>, ctx: VisitContext, details: Record<string, unknown>): { title: string; lines: string[]; key: string } {
  const v = ctx.visit;
  const what = `回访 #${v.id}（${ctx.reference}${ctx.order?.title ? `，${ctx.order.title}` : ''}，${v.unitId ?? ''}）`;
  const missing = ((details.missingRoles as string[] | undefined) ?? []).map((r) => roleLabel(r as StaffRole)).join('、');
  switch (topic) {
    case 'dispute':
      return { key: `dispute:${v.id}`, title: '住户对回访记录有异议', lines: [`${what}的住户对员工记录提出异议，请联系住户核实。`] };
    case 'team_incomplete':
      return { key: `team-incomplete:${v.id}`, title: '联合回访人员不全', lines: [`${what}需要联合回访，但本处没有${missing}。`, '已按现有人员安排，请指派或更换回访人。'] };
    case 'unassigned':
      return { key: `unassigned:${v.id}`, title: '回访无人可派', lines: [`${what}需要回访，但本处没有${missing}。`, '请在人员设置中补充后指派回访人。'] };
    case 'no_manager':
      return { key: `no-manager:${v.id}`, title: '不合格回访无人处理', lines: [`${what}判为不合格，但本处没有管理处经理，请指定处理人。`] };
    case 'handling_overdue':
      return { key: `handling-overdue:${v.id}:${v.escalationRound}`, title: '不合格回访处理超时', lines: [`${what}的处理时限已过，经理尚未填写处理意见。`] };
    case 'not_resolved':
      return { key: `not-resolved:${v.id}:${v.escalationRound}`, title: '住户反映问题仍未解决', lines: [`${what}经理处理后，住户反映问题仍未解决，已再次转经理处理。`] };
    case 'closed_unresolved':
      return { key: `closed-unresolved:${v.id}`, title: '问题两次处理后仍未解决', lines: [`${what}经两次处理，住户仍反映未解决，回访已按"已处理"关闭，请跟进。`] };
  }
}
