import type { VNode } from 'preact';
import { DataSource } from 'typeorm';
import { Clock } from '../clock';
import { QuarterlyStatsService } from '../reports/quarterly-stats.service';
import { ConsoleUser } from './console-user';

/** What every section may use to build its page. */
export interface SectionDeps {
  dataSource: DataSource;
  clock: Clock;
  stats: QuarterlyStatsService;
  defaultTimeZone: string;
}

export interface SectionRequest {
  user: ConsoleUser;
  params: Record<string, string>;
  query: URLSearchParams;
  now: Date;
}

/** A section's answer: its page, or "not found" (an id the person may not see is not found either). */
export type SectionPage = { title: string; body: VNode } | { notFound: true };

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
}
