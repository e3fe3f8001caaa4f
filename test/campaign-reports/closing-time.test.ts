import { describe, expect, it } from 'vitest';
import { closingTime } from '../../src/campaign-reports/closing-days';
import { resolvePolicy } from '../../src/rules/office-policy';
import { useAppWithOffice1, TestApp } from '../support/app';

describe('when a day is closed (docs/rules.md §8)', () => {
  it('is the end of the working hours', () => {
    expect(closingTime(resolvePolicy({ workingHours: { start: '09:00', end: '18:00' } }))).toBe('18:00');
  });

  it('is half an hour before staff quiet hours when they begin first: 20:30 for the defaults', () => {
    expect(closingTime(resolvePolicy(null))).toBe('20:30');
    expect(closingTime(resolvePolicy({ workingHours: { start: '09:00', end: '19:00' }, staffQuietHours: { start: '18:00', end: '08:00' } }))).toBe('17:30');
  });

  it('is the office’s campaignClosingAt when it names one', () => {
    expect(closingTime(resolvePolicy({ campaignClosingAt: '17:00' }))).toBe('17:00');
  });
});

describe('the campaignClosingAt policy value', () => {
  let app: TestApp;
  useAppWithOffice1({}, (started) => (app = started));

  it('is stored as an office policy; a bad time or an unknown name is a 400 naming it', async () => {
    const put = (policy: Record<string, unknown>) => app.api('PUT', '/api/offices/office-1', { name: '一号', timeZone: 'Asia/Shanghai', staff: [], policy });
    expect((await put({ campaignClosingAt: '17:30' })).status).toBe(200);
    expect((await app.api('GET', '/api/offices/office-1')).body.policy.campaignClosingAt).toBe('17:30');
    const bad = await put({ campaignClosingAt: '25:00' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('policy.campaignClosingAt');
    const unknown = await put({ campaignClosingTime: '17:30' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('policy.campaignClosingTime');
  });
});
