import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/data-source';
import { parseDbUrl } from '../../src/db/db-url';
import { createLogger } from '../../src/log';
import { OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';
import { dropScratchDatabases, scratchDatabaseUrl } from '../support/database';
import { rawRequest } from '../support/raw-http';

/**
 * A request that fails under a link route logs its path: the token in it is a credential, so
 * the log must not carry it. The failures here are real: the database lost columns the pages
 * read (a schema drifted under the server).
 */
describe('paths in the log', () => {
  let app: TestApp;
  const lines: string[] = [];
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    const dbUrl = await scratchDatabaseUrl('hf_logs');
    const log = createLogger({ write: (line: string) => void lines.push(line) }, 'info');
    app = await startTestApp({ db: await openDatabase(parseDbUrl(dbUrl)!), now: '2026-11-26T07:10:05Z', overrides: { log } });
    expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
    const planned = await app.sendEvent(workOrderEvent('completed', { id: 'WO-LOG', kind: 'repair', severity: null, department: null, matterKey: 'kitchen-tap' }));
    const visitId = planned.body.visits[0].id;
    const now = app.clock.now();
    tokens.survey = app.server.links.issue({ visitId, purpose: 'survey' }, now);
    tokens.weekly = app.server.links.issue({ visitId: 0, purpose: 'weekly', officeId: 'office-1', week: '2026-W48' }, now);
    await app.db.query('ALTER TABLE visits RENAME COLUMN suggestions TO suggestions_gone');
    await app.db.query('ALTER TABLE offices RENAME COLUMN policy TO policy_gone');
  });
  afterAll(async () => {
    await app.close();
    await dropScratchDatabases();
  });

  const failedRequests = () => lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request failed');

  it('logs a failed survey page (500) without its token', async () => {
    for (const path of [`/s/${tokens.survey}`, `/S/${tokens.survey}/`, `/s/${tokens.survey.replace('.', '%2E')}`]) {
      expect((await rawRequest(app.server.url, { method: 'GET', path })).status).toBe(500);
    }
    const logged = failedRequests().map((entry) => entry.path);
    expect(logged).toEqual(['/s/[token]', '/S/[token]/', '/s/[token]']);
    expect(lines.join('\n')).not.toContain(tokens.survey.split('.')[1]);
  });

  it('logs a failed weekly page (500) without its token', async () => {
    expect((await rawRequest(app.server.url, { method: 'GET', path: `/r/weekly/${tokens.weekly}` })).status).toBe(500);
    expect(failedRequests().at(-1).path).toBe('/r/weekly/[token]');
    expect(lines.join('\n')).not.toContain(tokens.weekly.split('.')[1]);
    expect(lines.join('\n')).not.toContain(tokens.weekly.split('.')[0]);
  });
});
