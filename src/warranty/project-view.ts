import { DataSource } from 'typeorm';
import { Project, Visit, WarrantyRepair } from '../../entities';
import { warrantyEnds } from '../rules/warranty-clock';
import { cardDueBy, termsOf } from './warranty-terms';

/** `GET /api/projects/:projectId` (docs/api.md): the project, its warranty ends, card, visits and repairs. */
export async function projectView(dataSource: DataSource, project: Project) {
  const [visits, repairs] = await Promise.all([
    dataSource.getRepository(Visit).find({ where: { projectId: project.id }, order: { opensAt: 'ASC', id: 'ASC' } }),
    dataSource.getRepository(WarrantyRepair).find({ where: { projectId: project.id }, order: { id: 'ASC' } }),
  ]);
  return {
    id: project.id,
    officeId: project.officeId,
    name: project.name,
    acceptedOn: project.acceptedOn,
    countFromNextDay: project.countFromNextDay,
    designLifeYears: project.designLifeYears,
    otherYears: project.otherYears,
    seasons: project.seasons,
    visitEveryMonths: project.visitEveryMonths,
    warrantyLead: project.warrantyLeadId,
    owner: project.owner,
    contractor: project.contractor,
    warranty: warrantyEnds(termsOf(project)),
    card: { dueBy: cardDueBy(project), issuedAt: project.cardIssuedAt?.toISOString() ?? null, escalatedAt: project.cardEscalatedAt?.toISOString() ?? null },
    history: project.history ?? [],
    visits: visits.map(warrantyVisitView),
    repairs: repairs.map(repairView),
  };
}

export function warrantyVisitView(v: Visit) {
  return {
    id: v.id,
    kind: v.kind,
    ...(v.kind === 'warranty_pre_expiry' ? { category: v.purpose } : {}),
    status: v.status,
    dueFrom: v.opensAt.toISOString(),
    dueBy: v.closesAt.toISOString(),
    recordedAt: v.recordedAt?.toISOString() ?? null,
    satisfaction: v.satisfaction,
    details: v.details,
    late: v.late,
  };
}

export function repairView(r: WarrantyRepair) {
  return {
    id: r.id,
    projectId: r.projectId,
    category: r.category,
    location: r.location,
    description: r.description,
    status: r.status,
    reportedAt: r.reportedAt.toISOString(),
    onSiteBy: r.onSiteBy.toISOString(),
    solveBy: r.solveBy.toISOString(),
    onSiteAt: r.onSiteAt?.toISOString() ?? null,
    assessedAt: r.assessedAt?.toISOString() ?? null,
    cause: r.cause,
    taskSheet: r.taskSheet,
    charged: r.charged,
    doneAt: r.doneAt?.toISOString() ?? null,
    signedOffAt: r.signedOffAt?.toISOString() ?? null,
    history: r.history,
  };
}
