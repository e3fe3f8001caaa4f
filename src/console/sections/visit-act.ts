import { Visit } from '../../../entities';
import { DomainError } from '../../errors';
import { VisitLifecycle } from '../../visits/visit-lifecycle.service';
import { ConsoleUser, staffIdIn } from '../console-user';
import { SectionDeps, SectionPage, SectionRequest } from '../section';
import { FORBIDDEN, refusalMessage } from './visit-refusals';
import { maySeeVisit } from './visit-scope';

/** Why the page was answered with a refusal instead of the step being taken. */
export type Refused = { status: number; message: string };

/** The visit page, with a refusal above it when a step was refused. */
export type VisitPageOf = (request: SectionRequest, deps: SectionDeps, refused?: Refused) => Promise<SectionPage>;

/** One step of a visit from its page: who may ask for it, and the lifecycle command it runs. */
export interface VisitStep {
  /** The role check made before the lifecycle's own (another role → 403 page, nothing run). */
  may(user: ConsoleUser, visit: Visit): boolean;
  run(form: URLSearchParams, visit: Visit, lifecycle: VisitLifecycle, by: { kind: 'staff'; id: string }, deps: SectionDeps): Promise<unknown>;
}

/** The visit of `:id` if the person may see it at all; else null (not found). */
export async function visibleVisit(request: SectionRequest, deps: SectionDeps): Promise<Visit | null> {
  const id = /^\d{1,9}$/.test(request.params.id ?? '') ? Number(request.params.id) : null;
  const visit = id === null ? null : await deps.dataSource.getRepository(Visit).findOneBy({ id });
  return visit && (await maySeeVisit(deps.dataSource, request.user, visit)) ? visit : null;
}

/**
 * Takes `step` as the person's own staff record in the visit's office: a visit they may not
 * see is not found, a step their role may not take is a 403 page, and the lifecycle's own
 * refusal (403, 409, 400) is the page again with its status and the reason in Chinese.
 */
export async function takeVisitStep(request: SectionRequest, form: URLSearchParams, deps: SectionDeps, page: VisitPageOf, step: VisitStep): Promise<SectionPage> {
  const visit = await visibleVisit(request, deps);
  if (!visit) return { notFound: true };
  const staffId = staffIdIn(request.user, visit.officeId);
  if (!staffId || !step.may(request.user, visit)) return page(request, deps, { status: 403, message: FORBIDDEN });
  try {
    await step.run(form, visit, deps.lifecycle, { kind: 'staff', id: staffId }, deps);
  } catch (err) {
    if (err instanceof DomainError && err.status < 500) return page(request, deps, { status: err.status, message: refusalMessage(err) });
    throw err;
  }
  return { redirect: `/console/visits/${visit.id}` };
}
