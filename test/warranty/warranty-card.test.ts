import { beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage } from '../../entities';
import { ADMIN_TOKEN, TestApp, useAppWithOffice1 } from '../support/app';
import { projectBody } from './fixtures';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));
beforeEach(() => app.clock.set('2026-12-03T02:00:00Z'));

const runJob = async () => {
  const res = await app.api('POST', '/api/jobs/warranty/run');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result;
};
const cardReminders = async () =>
  (await app.db.getRepository(OutboundMessage).find({ where: { purpose: 'warranty_card_reminder' }, order: { id: 'ASC' } })).map((m) => ({ to: m.recipientId, key: m.dedupeKey }));

describe('the warranty card (保修证书)', () => {
  it('reminds the warranty lead until it is issued: on acceptance, a week before it is due, when due, then weekly — once per slot', async () => {
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
    expect((await runJob()).cardReminders).toBe(1);
    // Two instances at once (or a rerun) queue nothing more for the same slot.
    await Promise.all([runJob(), runJob()]);
    expect(await cardReminders()).toEqual([{ to: 'sp1', key: 'warranty-card:P-1:accepted:sp1' }]);

    for (const at of ['2026-12-25T01:00:00Z', '2027-01-01T01:00:00Z', '2027-01-08T01:00:00Z', '2027-01-09T01:00:00Z']) {
      app.clock.set(at);
      await runJob();
    }
    expect((await cardReminders()).map((r) => r.key)).toEqual([
      'warranty-card:P-1:accepted:sp1',
      'warranty-card:P-1:week_before:sp1',
      'warranty-card:P-1:due:sp1',
      'warranty-card:P-1:overdue-1:sp1',
    ]);

    const issued = await app.api('POST', '/api/projects/P-1/card/issue');
    expect(issued.body).toEqual({ projectId: 'P-1', issuedAt: '2027-01-09T01:00:00.000Z' });
    app.clock.set('2027-01-15T01:00:00Z');
    expect((await runJob()).cardReminders).toBe(0);
    expect(await cardReminders()).toHaveLength(4);
    // Issuing again keeps the first date.
    expect((await app.api('POST', '/api/projects/P-1/card/issue')).body.issuedAt).toBe('2027-01-09T01:00:00.000Z');
    expect((await app.api('GET', '/api/projects/P-1')).body.card).toMatchObject({ dueBy: '2027-01-01', issuedAt: '2027-01-09T01:00:00.000Z' });
  });

  it('tells the supervisor once when the month passes without the card, with the project\'s history, and not when it was issued in time', async () => {
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
    expect((await app.api('PUT', '/api/projects/P-2', projectBody({ name: '城东学校' }))).status).toBe(201);
    const escalations = async () =>
      (await app.db.getRepository(OutboundMessage).find({ where: { purpose: 'supervisor_notice' }, order: { id: 'ASC' } })).map((m) => ({ to: m.recipientId, key: m.dedupeKey }));
    app.clock.set('2026-12-31T15:00:00Z'); // 23:00 on 31 December in Shanghai: P-2 is issued in time
    expect((await app.api('POST', '/api/projects/P-2/card/issue')).status).toBe(200);
    app.clock.set('2027-01-01T15:59:00Z'); // 23:59 on the due day itself: not yet late
    expect((await runJob()).cardEscalations).toBe(0);
    app.clock.set('2027-01-01T16:00:00Z'); // 00:00 on 2 January: the month has passed
    // Two instances at once: the supervisor is told once, the history has one entry.
    const [a, b] = await Promise.all([runJob(), runJob()]);
    expect(a.cardEscalations + b.cardEscalations).toBe(1);
    expect(await runJob()).toMatchObject({ cardEscalations: 0 });
    app.clock.set('2027-01-20T01:00:00Z');
    expect(await runJob()).toMatchObject({ cardEscalations: 0 });
    expect(await escalations()).toEqual([{ to: 'sup1', key: 'warranty-card:P-1:escalated:sup1' }]);
    const [notice] = await app.db.getRepository(OutboundMessage).find({ where: { purpose: 'supervisor_notice' } });
    expect(JSON.stringify(notice.payload)).toContain('保修证书逾期未签发');
    expect(JSON.stringify(notice.payload)).toContain('赵专员');
    const project = (await app.api('GET', '/api/projects/P-1')).body;
    expect(project.card).toEqual({ dueBy: '2027-01-01', issuedAt: null, escalatedAt: '2027-01-01T16:00:00.000Z' });
    expect(project.history).toEqual([{ at: '2027-01-01T16:00:00.000Z', action: 'card_overdue_escalated', by: 'system', details: { dueBy: '2027-01-01' } }]);
    expect((await app.api('GET', '/api/projects/P-2')).body).toMatchObject({ card: { escalatedAt: null }, history: [] });
  });

  it('prints as an A4 page in Chinese with scope, periods, the contractor and the repair log, without any script', async () => {
    expect((await app.api('PUT', '/api/projects/P-1', projectBody({ otherYears: 3 }))).status).toBe(201);
    const res = await fetch(`${app.server.url}/api/projects/P-1/card`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'none'/);
    const html = await res.text();
    for (const text of ['保修证书', '滨江花园二期', '2026年12月1日', '屋面防水', '2031年12月1日', '2 个采暖期', '2029年3月15日', '合同约定（3 年）', '华建集团', '周工', '保修记录', '（尚未签发）', 'size: A4']) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain('<script');
    expect((await fetch(`${app.server.url}/api/projects/P-1/card`)).status).toBe(401);
    expect((await app.api('GET', '/api/projects/P-404/card')).status).toBe(404);
  });
});
