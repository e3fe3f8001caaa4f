import { EntityManager } from 'typeorm';
import { Campaign, Visit, VisitAssignee } from '../../entities';
import { CampaignVisitDraft } from '../visits/campaign-visit-planning';
import { insertRows } from './bulk-insert';
import { teamKeyOf } from './team-key';
import { adjustOpenVisits } from './staff-workloads';
import { recordHistory } from './visit-history';
import { adjustTallies, tallyChanges } from './visit-tallies';

/** Rows per INSERT: well under SQLite's and MySQL's limits on parameters of one statement. */
const CHUNK = 500;

/**
 * Writes a campaign with its planned calls in the caller's transaction, in bulk: the visits,
 * their callers and first history entries a few hundred rows per statement, the callers'
 * open-visit counts and the visits' tallies once. The visits' ids are read back by customer or resident (one indexed read), so no
 * database has to number a multi-row insert in sequence. Returns how many visits were written.
 */
export async function insertCampaign(manager: EntityManager, campaign: Campaign, drafts: readonly CampaignVisitDraft[], now: Date): Promise<number> {
  await manager.insert(Campaign, campaign);
  for (let i = 0; i < drafts.length; i += CHUNK) {
    const chunk = drafts.slice(i, i + CHUNK);
    await insertRows(
      manager,
      Visit,
      chunk.map(({ visit, assignee }) => {
        const { id: _id, ...values } = visit;
        return { ...values, teamKey: teamKeyOf([assignee.staffId]) };
      }),
    );
  }
  const rows = (await manager.query('SELECT id, customerId, residentId FROM visits WHERE campaignId = ?', [campaign.id])) as Array<{ id: unknown; customerId: string | null; residentId: string | null }>;
  const idOf = new Map(rows.map((r) => [calleeKey(r), Number(r.id)]));
  for (let i = 0; i < drafts.length; i += CHUNK) {
    const chunk = drafts.slice(i, i + CHUNK).map((d) => ({ ...d, id: idOf.get(calleeKey(d.visit))! }));
    await insertRows(
      manager,
      VisitAssignee,
      chunk.map((d) => ({ visitId: d.id, staffId: d.assignee.staffId, officeId: campaign.officeId, role: d.assignee.role })),
    );
    await recordHistory(
      manager,
      chunk.map((d) => ({ visitId: d.id, at: now, actor: d.history.actor, actorKind: d.history.actorKind, action: d.history.action, details: d.history.details ?? null })),
    );
  }
  await adjustOpenVisits(
    manager,
    drafts.map((d) => ({ officeId: campaign.officeId, staffId: d.assignee.staffId, delta: 1 })),
  );
  await adjustTallies(
    manager,
    drafts.flatMap((d) => tallyChanges(null, { ...d.visit, teamKey: teamKeyOf([d.assignee.staffId]), staffIds: [d.assignee.staffId] })),
  );
  return drafts.length;
}

/** Whom a campaign visit is to: a campaign has one visit per customer or per resident. */
const calleeKey = (v: { customerId: string | null; residentId: string | null }) => (v.customerId !== null ? `c:${v.customerId}` : `r:${v.residentId}`);

/** A campaign's calls counted by status, and by caller and status. */
export async function campaignCounts(
  manager: EntityManager,
  campaignId: string,
): Promise<{ byStatus: Array<{ status: string; n: number }>; byCaller: Array<{ staffId: string; status: string; n: number }> }> {
  const byStatus = (await manager.query('SELECT status, COUNT(*) AS n FROM visits WHERE campaignId = ? GROUP BY status', [campaignId])) as Array<{ status: string; n: unknown }>;
  const byCaller = (await manager.query(
    'SELECT a.staffId AS staffId, v.status AS status, COUNT(*) AS n FROM visits v JOIN visit_assignees a ON a.visitId = v.id WHERE v.campaignId = ? GROUP BY a.staffId, v.status',
    [campaignId],
  )) as Array<{ staffId: string; status: string; n: unknown }>;
  return { byStatus: byStatus.map((r) => ({ status: r.status, n: Number(r.n) })), byCaller: byCaller.map((r) => ({ ...r, n: Number(r.n) })) };
}
