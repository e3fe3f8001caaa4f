import { DateTime } from 'luxon';
import { Project } from '../../entities';
import { OfficePolicy } from '../rules/office-policy';
import { DEFAULT_SEASONS, warrantyEnds, WarrantyTerms } from '../rules/warranty-clock';
import { WarrantyVisitTerms } from '../rules/warranty-visits';
import { DomainError } from '../errors';

/** The warranty rules' view of a stored project. */
export function termsOf(project: Project): WarrantyTerms {
  return {
    acceptedOn: project.acceptedOn,
    countFromNextDay: project.countFromNextDay,
    designLifeYears: project.designLifeYears,
    otherYears: project.otherYears,
    seasons: { heating: project.seasons.heating, cooling: project.seasons.cooling },
  };
}

/** How the project is visited: its own values, else the office's policy. */
export function visitTermsOf(project: Project, policy: OfficePolicy): WarrantyVisitTerms {
  return { visitEveryMonths: project.visitEveryMonths ?? policy.warrantyVisitEveryMonths, rainyVisit: project.seasons.rainyVisit, leadDays: policy.warrantyLeadDays };
}

/** Seasons as stored: a season left out takes the default, `null` says the region has none; the rainy visit defaults to 05-15. */
export function seasonsOf(input: { heating?: { from: string; to: string } | null; cooling?: { from: string; to: string } | null; rainyVisit?: string | null }): Project['seasons'] {
  return {
    heating: input.heating === undefined ? DEFAULT_SEASONS.heating : input.heating,
    cooling: input.cooling === undefined ? DEFAULT_SEASONS.cooling : input.cooling,
    rainyVisit: input.rainyVisit === undefined ? '05-15' : input.rainyVisit,
  };
}

/** The warranty card is due within one month of acceptance (local date, clamped at month end). */
export function cardDueBy(project: Pick<Project, 'acceptedOn'>): string {
  return DateTime.fromISO(project.acceptedOn, { zone: 'utc' }).plus({ months: 1 }).toISODate()!;
}

/** The last covered day of a category of the project; refuses a category the project does not have. */
export function categoryEnd(project: Project, category: string): string {
  const end = warrantyEnds(termsOf(project)).find((e) => e.category === category);
  if (!end) throw fieldError('category', `project ${project.id} has no warranty category "${category}"`);
  return end.endsOn;
}

/** A 400 naming one field, as validation reports it. */
export function fieldError(field: string, message: string): DomainError {
  return new DomainError('invalid_request', `invalid fields: ${field} (${message})`, 400, { fields: [{ field, message }] });
}
