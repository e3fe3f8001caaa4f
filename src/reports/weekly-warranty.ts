import { DataSource, In, LessThan } from 'typeorm';
import { Project, RepairStatus, StaffMember, WarrantyRepair } from '../../entities';
import { warrantyEnds, WarrantyEnd } from '../rules/warranty-clock';
import { warrantyReport } from '../warranty/warranty-report';
import { termsOf } from '../warranty/warranty-terms';
import { SummaryWarrantyProject } from './weekly-summary';

/**
 * The weekly summary's warranty section (docs/rules.md §7 "Reports", §5): per project of the
 * office that has something to follow up, the categories whose warranty ends within 90 days of
 * `asOf`, and the repairs still open at `asOf` with where each stands against its 24 h on-site
 * and 15-day deadlines (met, missed, or still pending). Read as the week saw it — a step taken
 * after `asOf` is not counted yet, a repair reported after it is not listed — so a past week's
 * summary never changes. Projects with nothing expiring and nothing open are left out.
 */
export async function weeklyWarranty(dataSource: DataSource, input: { officeId: string; zone: string; asOf: Date }): Promise<SummaryWarrantyProject[]> {
  const { asOf, zone } = input;
  const projects = await dataSource.getRepository(Project).find({ where: { officeId: input.officeId }, order: { name: 'ASC', id: 'ASC' } });
  if (projects.length === 0) return [];
  const [repairs, leads] = await Promise.all([
    dataSource.getRepository(WarrantyRepair).find({ where: { officeId: input.officeId, reportedAt: LessThan(asOf) }, order: { reportedAt: 'ASC', id: 'ASC' } }),
    dataSource.getRepository(StaffMember).find({ where: { officeId: input.officeId, id: In([...new Set(projects.map((p) => p.warrantyLeadId))]) } }),
  ]);
  const sections: SummaryWarrantyProject[] = [];
  for (const project of projects) {
    const asTheWeekSaw = repairs.filter((r) => r.projectId === project.id).map((r) => seenAt(r, asOf));
    const open = asTheWeekSaw.filter((r) => r.doneAt === null || r.status === RepairStatus.NotAccepted);
    const ends: WarrantyEnd[] = warrantyEnds(termsOf(project));
    const report = warrantyReport({ projectId: project.id, ends, repairs: open, visits: [], now: asOf, zone });
    if (report.expiring.length === 0 && open.length === 0) continue;
    sections.push({
      projectId: project.id,
      name: project.name,
      lead: { staffId: project.warrantyLeadId, name: leads.find((s) => s.id === project.warrantyLeadId)?.name ?? null },
      expiring: report.expiring.map((e) => ({ category: e.category, endsOn: e.endsOn, daysLeft: e.daysLeft })),
      openRepairs: report.repairs.list.map((r) => {
        const repair = open.find((o) => o.id === r.id)!;
        return {
          id: r.id,
          category: r.category,
          location: r.location,
          status: r.status,
          reportedAt: repair.reportedAt.toISOString(),
          onSiteBy: repair.onSiteBy.toISOString(),
          solveBy: repair.solveBy.toISOString(),
          onSite: r.onSite,
          solved: r.solved,
        };
      }),
    });
  }
  return sections;
}

/** A repair as it stood at `asOf`: steps taken later are not taken yet. */
function seenAt(repair: WarrantyRepair, asOf: Date): WarrantyRepair {
  const before = (at: Date | null) => (at && at < asOf ? at : null);
  const doneAt = before(repair.doneAt);
  const onSiteAt = before(repair.onSiteAt);
  const status = doneAt ? repair.status : before(repair.assessedAt) ? RepairStatus.Assessed : onSiteAt ? RepairStatus.OnSite : RepairStatus.Reported;
  return { ...repair, onSiteAt, assessedAt: before(repair.assessedAt), doneAt, status };
}
