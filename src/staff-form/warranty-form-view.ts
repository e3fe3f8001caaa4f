import { Visit } from '../../entities';
import { SATISFACTION_LABELS } from '../rules/answer-levels';
import type { ViewRow } from './staff-form-view';

/** What a warranty visit's record keeps in `details` (src/visits/visit-lifecycle.ts `recordedAnswers`). */
interface WarrantyDetails {
  roofsAndWalls?: string;
  problemsFound?: string;
  ownerOpinion?: string;
  minutes?: string | null;
  minutesAttendees?: string[] | null;
}

/** A warranty visit's answers as the staff form shows them: its own questions, and the minutes when there are any. */
export function warrantyAnswerRows(visit: Pick<Visit, 'details' | 'satisfaction'>): ViewRow[] {
  const d = (visit.details ?? {}) as WarrantyDetails;
  return [
    { label: '屋面、墙面情况', value: d.roofsAndWalls || '未填' },
    { label: '发现的问题', value: d.problemsFound || '无' },
    { label: '建设单位意见', value: d.ownerOpinion || '无' },
    { label: '满意程度评价', value: SATISFACTION_LABELS[visit.satisfaction as 1] ?? '未填' },
    ...(d.minutes ? [{ label: '回访记要', value: `参加人员：${(d.minutesAttendees ?? []).join('、')}\n${d.minutes}` }] : []),
  ];
}
