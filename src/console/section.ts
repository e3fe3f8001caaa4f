import type { VNode } from 'preact';
import { DataSource } from 'typeorm';
import { Clock } from '../clock';
import { QuarterlyReportService } from '../reports/quarterly-report.service';
import { QuarterlyReviewService } from '../reports/quarterly-review.service';
import { QuarterlyStatsService } from '../reports/quarterly-stats.service';
import { SignedLinks } from '../survey/signed-link';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { VisitQueries } from '../visits/visit-query.service';
import { ConsoleUser } from './console-user';

/** What every section may use to build its page. */
export interface SectionDeps {
  dataSource: DataSource;
  clock: Clock;
  stats: QuarterlyStatsService;
  defaultTimeZone: string;
  /** The one way a visit changes: the same lifecycle the admin API and the cards use. */
  lifecycle: VisitLifecycle;
  queries: VisitQueries;
  /** The quarterly statistics as the admin API gives them (JSON, CSV, XLSX). */
  reports: QuarterlyReportService;
  /** The statistics' review and decision: the same service as the admin API's. */
  reviews: QuarterlyReviewService;
  /** Signed links (the staff record form, a campaign's weekly report), as the chat's cards issue them. */
  links: SignedLinks;
}

export interface SectionRequest {
  user: ConsoleUser;
  params: Record<string, string>;
  query: URLSearchParams;
  now: Date;
}

/** A file to download (an export), sent as an attachment and never cached. */
export interface SectionFile {
  name: string;
  type: string;
  body: string | Buffer;
}

/**
 * A section's answer: its page (with a status, 200 unless said), "not found" (an id the person
 * may not see is not found either), after an action, where to go next, or a file.
 */
export type SectionPage = { title: string; body: VNode; status?: number } | { notFound: true } | { redirect: string } | { file: SectionFile };

/** An action of a section: `POST <section path>/<name>` with the form's fields. */
export type SectionAction = (request: SectionRequest, form: URLSearchParams, deps: SectionDeps) => Promise<SectionPage>;

/**
 * One page of the console. Adding a section is one file exporting one of these and one line
 * in `sections/index.ts`: the console mounts it, checks `mayView` on the server before
 * `render`, and lists it in the header for whoever may view it.
 */
export interface ConsoleSection {
  /** A koa-router path under /console (e.g. `/console/visits/:id`). */
  path: string;
  title: string;
  /** Listed in the header (sections reached by a link only, like one visit, are not). */
  inNav: boolean;
  /** Whether `user` may open this section at all (the page still scopes what it shows). */
  mayView(user: ConsoleUser): boolean;
  render(request: SectionRequest, deps: SectionDeps): Promise<SectionPage>;
  /** What the person can do here (each checks their role itself, and goes through the lifecycle). */
  actions?: Record<string, SectionAction>;
}
