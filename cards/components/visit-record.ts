import type { RecordedAnswers } from './answer-fields';
import type { CardField } from './card-model';
import { inlineText } from './inline-text';
import { METHOD_LABELS, type VisitMethodCode } from './labels';
import type { LocalTime } from './local-time';

/** A visit's record as confirmation and review cards show it (docs/rules.md §3–§4). */
export interface VisitRecordView {
  method: VisitMethodCode;
  /** Who recorded it: the visitor, or the resident (`byResident`). */
  staffName: string;
  /** The resident's own answers are the record (a self-survey): they are 住户, not 回访人. */
  byResident?: boolean;
  recordedAt: LocalTime;
  answers: RecordedAnswers;
  /** Recorded after the window closed: done, not on time. */
  late?: boolean;
  /** Whether the resident has confirmed it (SOP 4.4); absent when not asked. */
  residentConfirmed?: boolean;
  notes?: string;
}

/** The row naming who made the record: 回访人 and how, or 住户 for the resident's own answers. */
export function recorderField(record: Pick<VisitRecordView, 'staffName' | 'method' | 'byResident'>): CardField {
  return record.byResident
    ? { label: '住户', value: `${inlineText(record.staffName)} · 本人评价` }
    : { label: '回访人', value: `${inlineText(record.staffName)} · ${METHOD_LABELS[record.method]}` };
}
