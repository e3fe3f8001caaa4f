import { beforeEach, describe, expect, it } from 'vitest';
import { FindOptionsWhere } from 'typeorm';
import { OutboundMessage } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { outboxRows, projectBody, runJob } from './fixtures';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));
beforeEach(() => app.clock.set('2026-12-03T02:00:00Z'));

const job = (name: string) => runJob(app, name);
const messages = (where: FindOptionsWhere<OutboundMessage>) => outboxRows(app, where);
const answers = {
  roofsAndWalls: '屋面无渗漏，外墙一处裂缝',
  problemsFound: '3 号楼外墙东侧发丝裂缝',
  ownerOpinion: '希望雨季前处理',
  satisfaction: 4,
  minutes: { attendees: ['滨江置业 陈工', '华建 周工', '监理 吴工'], summary: '三方确认裂缝位置，约定 5 月前修补' },
};

describe('warranty visits through the visit lifecycle', () => {
  it('opens the first periodic visit in its window, reminds the warranty lead, and records the warranty questions', async () => {
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
    const first = (await app.api('GET', '/api/projects/P-1')).body.visits[0];
    expect(first.status).toBe('planned');

    app.clock.set('2027-02-28T15:59:00Z'); // a minute before local midnight of 1 March
    await job('reminders');
    expect((await app.api('GET', `/api/visits/${first.id}`)).body.status).toBe('planned');
    expect(await messages({ visitId: first.id })).toHaveLength(0);

    app.clock.set('2027-03-01T01:00:00Z');
    expect((await job('reminders')).opened).toBe(1);
    expect((await app.api('GET', `/api/visits/${first.id}`)).body.status).toBe('due');
    const reminders = await messages({ visitId: first.id, purpose: 'visit_reminder' });
    expect(reminders.map((m) => m.recipientId)).toEqual(['sp1']);
    await job('reminders');
    expect(await messages({ visitId: first.id, purpose: 'visit_reminder' })).toHaveLength(1);

    // The property form's items are not this visit's questions.
    const wrong = await app.api('POST', `/api/visits/${first.id}/record`, { staffId: 'sp1', method: 'onsite', answers: { quality: 5, effect: 5, satisfaction: 5 } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('answers.roofsAndWalls');

    const recorded = await app.api('POST', `/api/visits/${first.id}/record`, { staffId: 'sp1', method: 'onsite', answers });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    expect(recorded.body).toMatchObject({
      status: 'recorded',
      answers: { satisfaction: 4, quality: null },
      details: { roofsAndWalls: answers.roofsAndWalls, problemsFound: answers.problemsFound, ownerOpinion: answers.ownerOpinion, minutes: answers.minutes.summary, minutesAttendees: answers.minutes.attendees },
    });
    // The owner confirms the record like a resident; the supervisor reviews it.
    expect((await messages({ visitId: first.id, purpose: 'resident_confirmation' })).map((m) => m.recipientId)).toEqual(['project:P-1']);
    expect((await messages({ visitId: first.id, purpose: 'supervisor_review' })).map((m) => m.recipientId)).toEqual(['sup1']);
    const reviewed = await app.api('POST', `/api/visits/${first.id}/review`, { reviewerId: 'sup1', verdict: 'ok' });
    expect(reviewed.body.status).toBe('reviewed');
  });

  it('sends an unsatisfied owner\'s visit to the manager, as any unqualified visit', async () => {
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
    const first = (await app.api('GET', '/api/projects/P-1')).body.visits[0];
    app.clock.set('2027-03-02T02:00:00Z');
    await job('reminders');
    const res = await app.api('POST', `/api/visits/${first.id}/record`, { staffId: 'sp1', method: 'phone', answers: { ...answers, satisfaction: 2, minutes: null } });
    expect(res.body).toMatchObject({ status: 'unqualified', verdict: 'unqualified' });
  });

  it('makes a technical visit on demand, due at once and visited by the warranty lead', async () => {
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
    const res = await app.api('POST', '/api/projects/P-1/visits', { kind: 'warranty_technical', topic: '新型外墙保温材料使用情况' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'warranty_technical', status: 'due', dueFrom: '2026-12-02T16:00:00.000Z', details: { topic: '新型外墙保温材料使用情况' } });
    expect((await app.api('GET', `/api/visits/${res.body.id}`)).body.assignees).toEqual([{ staffId: 'sp1', role: 'specialist' }]);
    // Saving the terms again leaves a technical visit alone.
    await app.api('PUT', '/api/projects/P-1', projectBody({ visitEveryMonths: 6 }));
    expect((await app.api('GET', `/api/visits/${res.body.id}`)).body.status).toBe('due');

    const periodic = await app.api('POST', '/api/projects/P-1/visits', { kind: 'warranty_periodic', topic: 'x' });
    expect(periodic.status).toBe(400);
    expect(periodic.body.error.message).toContain('kind');
    expect((await app.api('POST', '/api/projects/P-404/visits', { kind: 'warranty_technical', topic: 'x' })).status).toBe(404);
  });
});

describe('warranty visits in the weekly summary', () => {
  it('names an overdue warranty visit by its project', async () => {
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
    app.clock.set('2027-04-01T01:00:00Z'); // the first periodic window (1–31 March) closed unrecorded
    await job('reminders');
    await job('overdue');
    const summary = await app.api('GET', '/api/reports/weekly?officeId=office-1&week=2027-W13');
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    expect(summary.body.overdue).toEqual([expect.objectContaining({ kind: 'warranty_periodic', title: '滨江花园二期', workOrderId: null, reference: 'P-1' })]);
    // Nothing prints "null" for the work order a warranty visit does not have.
    expect(JSON.stringify(summary.body)).not.toContain('"null"');
  });
});
