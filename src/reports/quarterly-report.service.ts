import { DataSource } from 'typeorm';
import { QuarterArchive } from '../../entities';
import { Clock } from '../clock';
import { findOffice } from './find-office';
import { QuarterlyFigures } from './quarterly-stats';
import { QuarterlyReviewService, QuarterlyReviewState } from './quarterly-review.service';
import { QuarterlyStatsService } from './quarterly-stats.service';
import { tablesToCsv } from './report-tables.csv';
import { addTableSheets, newWorkbook, workbookBytes } from './report-tables.xlsx';
import { statsTables } from './stats-tables';

/** The quarterly statistics as docs/api.md's JSON, with the review, decision and archive state. */
export interface QuarterlyReport extends QuarterlyFigures {
  review: QuarterlyReviewState['review'];
  decision: QuarterlyReviewState['decision'];
  reviewHistory: QuarterlyReviewState['history'];
  /** Set once the quarter is locked (docs/rules.md §6). */
  archive: { lockedAt: string; anonymisedAt: string | null } | null;
}

/**
 * `GET /api/stats/quarterly` in its three forms: JSON, CSV and XLSX, all from the same
 * figures (as of now) and the same paper-form tables.
 */
export class QuarterlyReportService {
  constructor(
    private readonly deps: { dataSource: DataSource; clock: Clock; stats: QuarterlyStatsService; reviews: QuarterlyReviewService },
  ) {}

  async report(officeId: string, quarter: string): Promise<{ report: QuarterlyReport; officeName: string }> {
    const manager = this.deps.dataSource.manager;
    const office = await findOffice(manager, officeId);
    const figures = await this.deps.stats.compute(office, quarter, this.deps.clock.now());
    const [review, archive] = await Promise.all([
      this.deps.reviews.state(office.id, figures.quarter),
      manager.findOneBy(QuarterArchive, { officeId: office.id, quarter: figures.quarter }),
    ]);
    return {
      officeName: office.name,
      report: {
        ...figures,
        review: review.review,
        decision: review.decision,
        reviewHistory: review.history,
        archive: archive ? { lockedAt: archive.lockedAt.toISOString(), anonymisedAt: archive.anonymisedAt?.toISOString() ?? null } : null,
      },
    };
  }

  async csv(officeId: string, quarter: string): Promise<string> {
    const { report, officeName } = await this.report(officeId, quarter);
    return tablesToCsv(statsTables(report, reviewOf(report), officeName));
  }

  async xlsx(officeId: string, quarter: string): Promise<Buffer> {
    const { report, officeName } = await this.report(officeId, quarter);
    const workbook = await newWorkbook();
    addTableSheets(workbook, statsTables(report, reviewOf(report), officeName));
    return workbookBytes(workbook);
  }
}

function reviewOf(report: QuarterlyReport): QuarterlyReviewState {
  return { review: report.review, decision: report.decision, history: report.reviewHistory };
}
