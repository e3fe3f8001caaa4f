import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundMessage } from '../../entities';
import { OFFICE_1, startTestApp, TestApp } from '../support/app';
import { projectBody, runJob } from './fixtures';

/**
 * The acceptance walk: one project from its acceptance to its last after-expiry visit,
 * on an injected clock, through HTTP only — card reminders until the card is issued, every
 * periodic, seasonal and pre-expiry visit opening in its window (and not before), one repair
 * that meets its deadlines and one that misses them.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ now: '2026-12-01T02:00:00Z' });
  expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
});
afterAll(async () => app?.close());

const job = (name: string) => runJob(app, name);
const moveTo = (at: string | number) => {
  const target = new Date(at).getTime();
  if (target > app.clock.now().getTime()) app.clock.set(new Date(target));
};
const sent = async (purpose: string) => (await app.db.getRepository(OutboundMessage).find({ where: { purpose }, order: { id: 'ASC' } })).map((m) => m.dedupeKey);
const answers = { roofsAndWalls: '屋面、外墙完好', problemsFound: '无', ownerOpinion: '满意', satisfaction: 5 };
const sheet = { cause: '管件接口松动', measures: '更换管件并试压', dueOn: '2027-07-10', approvedBy: '周工', responsible: '刘师傅' };

describe('a project from acceptance to its last after-expiry visit', () => {
  it('walks through card reminders, every visit in its window, and two repairs', async () => {
    const saved = await app.api('PUT', '/api/projects/P-WALK', projectBody());
    expect(saved.status).toBe(201);

    // The card: reminded on acceptance, a week before and when due; issued late, then silence.
    await job('warranty');
    moveTo('2026-12-25T01:00:00Z');
    await job('warranty');
    moveTo('2027-01-01T01:00:00Z');
    await job('warranty');
    expect(await sent('warranty_card_reminder')).toEqual(['warranty-card:P-WALK:accepted:sp1', 'warranty-card:P-WALK:week_before:sp1', 'warranty-card:P-WALK:due:sp1']);
    expect((await app.api('POST', '/api/projects/P-WALK/card/issue')).status).toBe(200);
    moveTo('2027-01-20T01:00:00Z');
    await job('warranty');
    expect(await sent('warranty_card_reminder')).toHaveLength(3);

    const visits: { id: number; kind: string; category?: string; dueFrom: string; dueBy: string }[] = saved.body.visits.filter(
      (v: { category?: string }) => v.category !== 'structure',
    );
    expect(visits[visits.length - 1].kind).toBe('warranty_after_expiry');
    const seen = new Set<string>();
    let repairsDone = false;
    for (const visit of visits) {
      seen.add(visit.kind);
      const opens = new Date(visit.dueFrom).getTime();
      if (app.clock.now().getTime() < opens - 60_000) {
        moveTo(opens - 60_000);
        await job('reminders');
        expect((await app.api('GET', `/api/visits/${visit.id}`)).body.status, `${visit.kind} ${visit.dueFrom} before its window`).toBe('planned');
      }
      moveTo(opens + 9 * 3_600_000); // 09:00 local: staff are not messaged at night
      await job('reminders');
      const open = (await app.api('GET', `/api/visits/${visit.id}`)).body;
      expect(open.status, `${visit.kind} ${visit.dueFrom} in its window`).toBe('due');
      expect(await sent('visit_reminder')).toContain(`reminder:${visit.id}:opened:sp1`);
      const recorded = await app.api('POST', `/api/visits/${visit.id}/record`, { staffId: 'sp1', method: 'onsite', answers });
      expect(recorded.body.status).toBe('recorded');
      expect((await app.api('POST', `/api/visits/${visit.id}/review`, { reviewerId: 'sup1', verdict: 'ok' })).body.status).toBe('reviewed');

      if (!repairsDone && opens >= Date.parse('2027-06-01T00:00:00Z')) {
        repairsDone = true;
        await twoRepairs();
      }
    }
    expect([...seen].sort()).toEqual(['warranty_after_expiry', 'warranty_periodic', 'warranty_pre_expiry', 'warranty_seasonal']);
    // The last visit is the after-expiry one, three months after waterproofing (the last category but the structure) ended.
    expect(visits[visits.length - 1].dueFrom).toBe('2032-02-29T16:00:00.000Z');
    const closed = await job('overdue');
    expect(closed.overdue).toBe(0);
  });
});

/** One repair on time and signed off; one that misses both deadlines, escalated to the supervisor. */
async function twoRepairs(): Promise<void> {
  const now = app.clock.now();
  const report = (location: string) =>
    app.api('POST', '/api/projects/P-WALK/repairs', { reportedAt: now.toISOString(), category: 'electrical_plumbing', location, description: '给水管接口渗水' });
  const onTime = (await report('1 号楼 301 厨房')).body.id;
  const late = (await report('2 号楼 502 卫生间')).body.id;
  await app.api('POST', `/api/warranty-repairs/${onTime}/onsite`, { by: 'sp1' });
  await app.api('POST', `/api/warranty-repairs/${onTime}/assess`, { by: 'sp1', cause: 'builder', taskSheet: sheet });
  moveTo(now.getTime() + 20 * 3_600_000);
  await job('warranty');
  await app.api('POST', `/api/warranty-repairs/${onTime}/done`, { by: 'sp1' });
  moveTo(now.getTime() + 25 * 3_600_000);
  await job('warranty');
  await app.api('POST', `/api/warranty-repairs/${late}/onsite`, { by: 'sp1' });
  moveTo(now.getTime() + 13 * 86_400_000);
  await job('warranty');
  moveTo(now.getTime() + 16 * 86_400_000);
  await job('warranty');

  const kept = (await app.api('GET', `/api/warranty-repairs/${onTime}`)).body;
  expect(kept.history.map((h: { action: string }) => h.action)).toEqual(['reported', 'on_site', 'assessed', 'done']);
  const missed = (await app.api('GET', `/api/warranty-repairs/${late}`)).body;
  expect(missed.history.map((h: { action: string }) => h.action)).toEqual([
    'reported',
    'deadline_reminded',
    'deadline_missed',
    'on_site',
    'deadline_reminded',
    'deadline_missed',
  ]);
  expect(await sent('supervisor_notice')).toEqual(expect.arrayContaining([`repair:${late}:missed:onsite:sup1`, `repair:${late}:missed:solve:sup1`]));
  expect((await sent('supervisor_notice')).filter((k) => k.startsWith(`repair:${onTime}:`))).toEqual([]);
}
