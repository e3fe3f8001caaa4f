import type { RecordedAnswers } from '../../cards/components/answer-fields';
import type { VisitRecordView } from '../../cards/components/visit-record';

/*
 * Realistic props shared by the card tests: one office in Asia/Shanghai, a repair visit on a
 * noisy lift, answers a resident might give. Dates are fixed instants, never "now".
 */

export const ZONE = 'Asia/Shanghai';
export const OFFICE = '一号物业服务中心';
export const BASE_URL = 'https://hf.example.org';

/** Completed 2026-11-26 15:00 local; a 3-day complaint window closes 11-29 end of day. */
export const COMPLETED_AT = new Date('2026-11-26T07:00:00Z');
export const WINDOW = { from: COMPLETED_AT, by: new Date('2026-11-29T15:59:59.999Z'), zone: ZONE };

export const WORK_ORDER = { id: 'WO-2026-000123', title: '电梯异响' };
export const UNIT = 'B3-1202';

export const HAPPY: RecordedAnswers = {
  quality: 5,
  effect: 4,
  satisfaction: 5,
  shortcomings: ['none'],
  suggestions: '师傅很专业，希望以后也这么快。',
  solved: true,
};

export const UNHAPPY: RecordedAnswers = {
  quality: 2,
  effect: 2,
  satisfaction: 1,
  shortcomings: ['slow_response', 'communication', 'other'],
  shortcomingsText: '电梯修完第二天又响',
  suggestions: '报修三天才来人，修完第二天又开始响，希望彻底检查一次并给个说法。',
  solved: false,
};

export const PHONE_RECORD: VisitRecordView = {
  method: 'phone',
  staffName: '张敏',
  recordedAt: { at: new Date('2026-11-27T02:20:00Z'), zone: ZONE },
  answers: HAPPY,
  residentConfirmed: true,
};

export const UNHAPPY_RECORD: VisitRecordView = {
  method: 'onsite',
  staffName: '李强',
  recordedAt: { at: new Date('2026-11-27T06:45:00Z'), zone: ZONE },
  answers: UNHAPPY,
  late: true,
  residentConfirmed: false,
  notes: '住户情绪较大，已安排工程部复查',
};
