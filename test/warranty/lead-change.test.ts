import { beforeEach, describe, expect, it } from 'vitest';
import { FindOptionsWhere } from 'typeorm';
import { OutboundMessage, VisitHistoryEntry } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { outboxRows, projectBody, runJob } from './fixtures';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));
beforeEach(() => app.clock.set('2026-12-03T02:00:00Z'));

const job = (name: string) => runJob(app, name);
const messages = (where: FindOptionsWhere<OutboundMessage>) => outboxRows(app, where);
const visit = async (id: number) => (await app.api('GET', `/api/visits/${id}`)).body;
const answers = { roofsAndWalls: '屋面无渗漏', problemsFound: '', ownerOpinion: '满意', satisfaction: 5 };

/** P-1 with its first periodic visit recorded by sp1, and an open technical visit whose reminder to sp1 is still queued. */
async function projectUnderWay() {
  expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
  app.clock.set('2027-03-02T02:00:00Z');
  const [first, second] = (await app.api('GET', '/api/projects/P-1')).body.visits;
  const technical = (await app.api('POST', '/api/projects/P-1/visits', { kind: 'warranty_technical', topic: '新型外墙保温材料' })).body;
  await job('reminders');
  expect((await app.api('POST', `/api/visits/${first.id}/record`, { staffId: 'sp1', method: 'onsite', answers })).status).toBe(200);
  expect(await messages({ visitId: technical.id, purpose: 'visit_reminder', recipientId: 'sp1', status: 'pending' })).toHaveLength(1);
  // What the record sends at once (to the people waiting for it) has gone out before the lead changes.
  await app.server.settled();
  return { first: first.id as number, second: second.id as number, technical: technical.id as number };
}

describe('a new warranty lead (PUT /api/projects/:id with another warrantyLead)', () => {
  it('takes over every visit not yet recorded through the lifecycle, told in the same change; recorded visits stay', async () => {
    const { first, second, technical } = await projectUnderWay();
    const planned = (await app.api('GET', '/api/projects/P-1')).body.visits.filter((v: { status: string }) => v.status === 'planned').length;

    const res = await app.api('PUT', '/api/projects/P-1', projectBody({ warrantyLead: 'sp2' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.warrantyLead).toBe('sp2');

    // The recorded visit keeps the one who made it.
    expect((await visit(first)).assignees).toEqual([{ staffId: 'sp1', role: 'specialist' }]);
    expect((await visit(first)).history.map((h: { action: string }) => h.action)).not.toContain('reassigned');
    // The open one and the planned ones move, each with its history entry.
    for (const id of [technical, second]) {
      const moved = await visit(id);
      expect(moved.assignees).toEqual([{ staffId: 'sp2', role: 'specialist' }]);
      expect(moved.history.at(-1)).toMatchObject({
        action: 'reassigned',
        actor: 'system',
        details: { reason: 'warranty_lead_changed', from: [{ staffId: 'sp1', role: 'specialist' }], to: [{ staffId: 'sp2', role: 'specialist' }] },
      });
    }
    const reassigned = await app.db.getRepository(VisitHistoryEntry).countBy({ action: 'reassigned' });
    expect(reassigned).toBe(planned + 1);

    // The open visit reminds the new lead at once; the old lead's queued reminder is withdrawn.
    expect((await messages({ visitId: technical, purpose: 'visit_reminder', recipientId: 'sp2' })).map((m) => m.status)).toEqual(['pending']);
    expect((await messages({ visitId: technical, purpose: 'visit_reminder', recipientId: 'sp1' })).map((m) => m.status)).toEqual(['cancelled']);
    expect(await messages({ visitId: second, recipientId: 'sp2' })).toHaveLength(0); // a planned visit is announced when it opens
    const [told] = await messages({ purpose: 'warranty_lead_handover' });
    expect(told.recipientId).toBe('sp2');
    expect(JSON.stringify(told.payload)).toContain(`尚未完成的 ${planned + 1} 次保修回访已转给您`);
    expect(JSON.stringify(told.payload)).toContain('原负责人 赵专员');

    const project = (await app.api('GET', '/api/projects/P-1')).body;
    expect(project.history).toEqual([
      { at: '2027-03-02T02:00:00.000Z', action: 'warranty_lead_changed', by: 'admin', details: { from: 'sp1', to: 'sp2', visitsMoved: expect.arrayContaining([technical, second]) } },
    ]);
    expect(project.history[0].details.visitsMoved).toHaveLength(planned + 1);

    // Saving the same lead again moves nothing and tells nobody.
    expect((await app.api('PUT', '/api/projects/P-1', projectBody({ warrantyLead: 'sp2' }))).status).toBe(200);
    expect(await app.db.getRepository(VisitHistoryEntry).countBy({ action: 'reassigned' })).toBe(planned + 1);
    expect(await messages({ purpose: 'warranty_lead_handover' })).toHaveLength(1);
    // The new lead now records the open visit.
    expect((await app.api('POST', `/api/visits/${technical}/record`, { staffId: 'sp2', method: 'phone', answers })).status).toBe(200);
  });

  it.each([
    [{ warrantyLead: 'nobody' }, 400, 'warrantyLead'],
    [{ warrantyLead: '' }, 400, 'warrantyLead'],
    [{ warrantyLead: 'sp2', officeId: 'office-2' }, 400, 'officeId'],
  ])('refuses %o with %i naming %s, moving nothing', async (patch, status, field) => {
    const { technical } = await projectUnderWay();
    const outbox = await app.db.getRepository(OutboundMessage).count();
    const res = await app.api('PUT', '/api/projects/P-1', projectBody(patch));
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(field);
    expect((await visit(technical)).assignees).toEqual([{ staffId: 'sp1', role: 'specialist' }]);
    expect(await app.db.getRepository(VisitHistoryEntry).countBy({ action: 'reassigned' })).toBe(0);
    expect(await app.db.getRepository(OutboundMessage).count()).toBe(outbox);
    expect((await app.api('GET', '/api/projects/P-1')).body).toMatchObject({ warrantyLead: 'sp1', history: [] });
  });
});
