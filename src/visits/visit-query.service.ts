import { DataSource, In } from 'typeorm';
import { z } from 'zod';
import { Visit, VisitAssignee, VisitHistoryEntry, VisitStatus } from '../../entities';
import { Clock } from '../clock';
import { instantParam } from '../http/calendar-params';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';

/**
 * `GET /api/visits`' filters. `from`/`to` bound when windows open, which may lie years ahead
 * (a contract's visits): real calendar instants from 2000-01-01 to ten years after now.
 */
export const visitListQuerySchema = (clock: Clock) =>
  z.object({
    officeId: z.string().max(64).optional(),
    status: z
      .string()
      .transform((s) => s.split(',').filter(Boolean))
      .refine((list) => list.every((s) => (Object.values(VisitStatus) as string[]).includes(s)), {
        message: `must be one or more of ${Object.values(VisitStatus).join(', ')}`,
      })
      .optional(),
    kind: z.enum(WORK_ORDER_KINDS as [WorkOrderKind, ...WorkOrderKind[]]).optional(),
    workOrderId: z.string().max(64).optional(),
    from: instantParam(clock, 'planned').optional(),
    to: instantParam(clock, 'planned').optional(),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor returned by this API')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  });

export type VisitListQuery = z.infer<ReturnType<typeof visitListQuerySchema>>;

/** Read side of visits for the admin API. */
export class VisitQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Visits by filters, oldest first, in pages. `from`/`to` bound the window's opening
   * (`dueFrom`); the cursor is opaque and stable while rows are added.
   */
  async list(query: VisitListQuery): Promise<{ visits: ReturnType<typeof summaryView>[]; nextCursor: string | null }> {
    const qb = this.dataSource.getRepository(Visit).createQueryBuilder('v').orderBy('v.id', 'ASC').take(query.limit + 1);
    if (query.officeId) qb.andWhere('v.officeId = :officeId', { officeId: query.officeId });
    if (query.status?.length) qb.andWhere('v.status IN (:...status)', { status: query.status });
    if (query.kind) qb.andWhere('v.kind = :kind', { kind: query.kind });
    if (query.workOrderId) qb.andWhere('v.workOrderId = :workOrderId', { workOrderId: query.workOrderId });
    if (query.from) qb.andWhere('v.opensAt >= :from', { from: query.from });
    if (query.to) qb.andWhere('v.opensAt < :to', { to: query.to });
    if (query.cursor) qb.andWhere('v.id > :after', { after: decodeCursor(query.cursor) });
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    const assignees = await this.assigneesOf(page.map((v) => v.id));
    return {
      visits: page.map((v) => summaryView(v, assignees.get(v.id) ?? [])),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /** A visit's kind (which question set its record takes); null when there is no such visit. */
  async kindOf(id: number): Promise<string | null> {
    const visit = await this.dataSource.getRepository(Visit).findOne({ where: { id }, select: { id: true, kind: true } });
    return visit?.kind ?? null;
  }

  /** One visit with its assignees and its whole history. */
  async get(id: number) {
    const visit = await this.dataSource.getRepository(Visit).findOneBy({ id });
    if (!visit) return null;
    const history = await this.dataSource.getRepository(VisitHistoryEntry).find({ where: { visitId: id }, order: { id: 'ASC' } });
    const assignees = (await this.assigneesOf([id])).get(id) ?? [];
    return {
      ...summaryView(visit, assignees),
      workOrderId: visit.workOrderId,
      projectId: visit.projectId,
      unitId: visit.unitId,
      residentId: visit.residentId,
      method: visit.method,
      answers: {
        quality: visit.quality,
        effect: visit.effect,
        satisfaction: visit.satisfaction,
        shortcomings: visit.shortcomings ?? [],
        shortcomingsText: visit.shortcomingsText,
        suggestions: visit.suggestions,
        solved: visit.solved,
      },
      details: visit.details,
      recordedAt: visit.recordedAt?.toISOString() ?? null,
      recordedBy: visit.recordedBy,
      residentConfirmedAt: visit.residentConfirmedAt?.toISOString() ?? null,
      staffConfirmedAt: visit.staffConfirmedAt?.toISOString() ?? null,
      review: visit.reviewedAt
        ? { reviewerId: visit.reviewerId, opinion: visit.reviewOpinion, at: visit.reviewedAt.toISOString() }
        : null,
      handling: visit.handledAt
        ? { handlerId: visit.handlerId, opinion: visit.handlingOpinion, at: visit.handledAt.toISOString() }
        : null,
      escalation: visit.escalatedAt
        ? { round: visit.escalationRound, at: visit.escalatedAt.toISOString(), handleBy: visit.handleBy?.toISOString() ?? null }
        : null,
      residentCompletes: visit.residentCompletes,
      reach: {
        route: visit.residentRoute,
        askedAt: visit.residentAskedAt?.toISOString() ?? null,
        reachedAt: visit.residentReachedAt?.toISOString() ?? null,
        reaskedAt: visit.residentReaskedAt?.toISOString() ?? null,
        handedBackAt: visit.handedBackAt?.toISOString() ?? null,
      },
      residentFeedback: visit.residentFeedback,
      resolutionAskedAt: visit.resolutionAskedAt?.toISOString() ?? null,
      resolvedAt: visit.resolvedAt?.toISOString() ?? null,
      closedAt: visit.closedAt?.toISOString() ?? null,
      closedAs: visit.closedAs,
      cancelReason: visit.cancelReason,
      history: history.map((h) => ({ at: h.at.toISOString(), actor: h.actor, actorKind: h.actorKind, action: h.action, details: h.details ?? {} })),
    };
  }

  private async assigneesOf(ids: number[]): Promise<Map<number, { staffId: string; role: string }[]>> {
    const map = new Map<number, { staffId: string; role: string }[]>();
    if (ids.length === 0) return map;
    const rows = await this.dataSource.getRepository(VisitAssignee).find({ where: { visitId: In(ids) }, order: { staffId: 'ASC' } });
    for (const row of rows) map.set(row.visitId, [...(map.get(row.visitId) ?? []), { staffId: row.staffId, role: row.role }]);
    return map;
  }
}

function summaryView(v: Visit, assignees: { staffId: string; role: string }[]) {
  return {
    id: v.id,
    officeId: v.officeId,
    workOrderId: v.workOrderId,
    kind: v.kind,
    purpose: v.purpose,
    status: v.status,
    dueFrom: v.opensAt.toISOString(),
    dueBy: v.closesAt.toISOString(),
    assignees,
    verdict: v.verdict,
    late: v.late,
    quarter: v.quarter,
    teamIncomplete: v.teamIncomplete,
  };
}

const encodeCursor = (id: number): string => Buffer.from(`v:${id}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^v:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}
