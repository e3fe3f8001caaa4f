import { DomainError } from '../../errors';

/** The lifecycle's refusals of a visit's step (409 codes), in words a supervisor or manager reads on the page. */
const CONFLICTS: Readonly<Record<string, string>> = Object.freeze({
  already_recorded: '这条回访已有记录，不能再记录；如需修改请由记录人更正。',
  not_recorded: '这条回访还没有记录。',
  already_reviewed: '记录已经审核，不能再更正。',
  not_escalated: '这条回访不在待经理处理的状态，不能处理。',
  not_reviewable: '只有已记录的回访可以审核。',
  unqualified_cannot_pass: '不合格的记录不能审核通过，请写下意见交经理处理。',
  visit_cancelled: '这条回访已取消。',
  not_recordable: '这条回访现在不能记录。',
  window_not_open: '这条回访的回访期限还没有开始。',
  quarter_archived: '这条回访所在的季度已归档，不能再更改。',
});

/** A step the person's role may not take on this visit. */
export const FORBIDDEN = '您不能对这条回访做这一步。';

/** What the page says about a refused step: 409s by their code, 403 plainly; other 4xx keep their own message. */
export function refusalMessage(err: DomainError): string {
  if (err.status === 409) return CONFLICTS[err.code] ?? '这条回访的状态已经变化，这一步不能再做。';
  if (err.status === 403) return FORBIDDEN;
  return err.message;
}
