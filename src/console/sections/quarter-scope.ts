import { DataSource } from 'typeorm';
import { Office } from '../../../entities';
import { officeZone } from '../../offices/office-zone';
import { parseQuarter, Quarter, quarterOf } from '../../rules/quarter';
import { ConsoleUser, overseenOffices } from '../console-user';
import { SectionDeps, SectionRequest } from '../section';

/** The office and quarter a quarter page, file or action is about. */
export interface QuarterScope {
  office: Office;
  /** Every office the person oversees (for the office picker). */
  offices: Office[];
  zone: string;
  quarter: Quarter;
  /** The quarter under way now, on the office's clock (the latest one that can be asked for). */
  current: Quarter;
}

/**
 * `?office=&quarter=` for a person who oversees offices: an office they do not oversee (or that
 * does not exist) is not found, the same answer either way; no `office` = their first. No
 * `quarter` = the one under way; a quarter that is not `YYYY-Qn` from 2000-Q1 up to the
 * current one is a problem naming the field (400).
 */
export async function quarterScope(
  dataSource: DataSource,
  user: ConsoleUser,
  query: URLSearchParams,
  now: Date,
  defaultTimeZone: string,
): Promise<QuarterScope | { notFound: true } | { problem: string; office: Office; offices: Office[] }> {
  const offices = await overseenOffices(dataSource, user);
  const wanted = query.get('office');
  const office = wanted === null ? offices[0] : offices.find((o) => o.id === wanted);
  if (!office) return { notFound: true };
  const zone = officeZone(office, defaultTimeZone);
  const current = quarterOf(now, zone);
  const label = query.get('quarter');
  if (label === null) return { office, offices, zone, quarter: current, current };
  const quarter = parsed(label, zone);
  if (!quarter || quarter.year < 2000 || quarter.from > current.from) {
    return { problem: `quarter：请选择 2000-Q1 到 ${current.label} 之间的季度（如 ${current.label}）`, office, offices };
  }
  return { office, offices, zone, quarter, current };
}

/** `quarterScope` of a console request (page, file or action). */
export const quarterScopeOf = (request: SectionRequest, deps: SectionDeps) => quarterScope(deps.dataSource, request.user, request.query, request.now, deps.defaultTimeZone);

function parsed(label: string, zone: string): Quarter | null {
  try {
    return parseQuarter(label, zone);
  } catch {
    return null;
  }
}

/** The query of a quarter page, file or action: `office=…&quarter=…`. */
export const quarterQuery = (scope: Pick<QuarterScope, 'office' | 'quarter'>): string =>
  new URLSearchParams({ office: scope.office.id, quarter: scope.quarter.label }).toString();

/** The quarter before `quarter` (its `from` minus a moment). */
export const previousQuarter = (quarter: Quarter, zone: string): Quarter => quarterOf(new Date(quarter.from.getTime() - 1), zone);
