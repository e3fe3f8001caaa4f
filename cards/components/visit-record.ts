import type { RecordedAnswers } from './answer-fields';
import type { VisitMethodCode } from './labels';
import type { LocalTime } from './local-time';

/** A visit's record as confirmation and review cards show it (docs/rules.md §3–§4). */
export interface VisitRecordView {
  method: VisitMethodCode;
  /** Who recorded it (the visitor). */
  staffName: string;
  recordedAt: LocalTime;
  answers: RecordedAnswers;
  /** Recorded after the window closed: done, not on time. */
  late?: boolean;
  /** Whether the resident has confirmed it (SOP 4.4); absent when not asked. */
  residentConfirmed?: boolean;
  notes?: string;
}
