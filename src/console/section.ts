import type { VNode } from 'preact';
import { DataSource } from 'typeorm';
import { Clock } from '../clock';
import { QuarterlyStatsService } from '../reports/quarterly-stats.service';
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
}

export interface SectionRequest {
  user: ConsoleUser;
  params: Record<string, string>;
  query: URLSearchParams;
  now: Date;
}

/**
 * A section's answer: its page (with a status, 200 unless said), "not found" (an id the person
 * may not see is not found either), or after an action, where to go next.
 */
export type SectionPage = { title: string; body: VNode; status?: number } | { notFound: true } | { redirect: string };

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
