import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { openDatabase } from '../../src/db/data-source';
import { parseDbUrl } from '../../src/db/db-url';
import { RunningServer, startServer } from '../../src/server';
import { OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';
import { dbKindUnderTest, dropSchema, dropScratchDatabases, openTestDatabase, scratchDatabaseUrl } from '../support/database';

describe('GET /healthz', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const dataSource = await openTestDatabase();
    server = await startServer({ ...loadConfig({}), port: 0 }, { dataSource });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 200 with the database kind while the database answers', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: dbKindUnderTest() });
  });

  it('answers a JSON 404 naming the route for unknown paths', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /nope' } });
  });

  it('answers 503 once the database stops answering', async () => {
    await server.dataSource.destroy();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect((await res.json()).status).toBe('unavailable');
  });
});

describe('while the database is gone', () => {
  let app: TestApp;
  let dbUrl: string;
  beforeEach(async () => {
    dbUrl = await scratchDatabaseUrl('hf_health');
    app = await startTestApp({ db: await openDatabase(parseDbUrl(dbUrl)!), now: '2026-11-26T07:10:05Z' });
    expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
  });
  afterEach(async () => {
    await app.server.close();
    if (app.db.isInitialized) await app.db.destroy().catch(() => undefined);
  });
  afterAll(async () => dropScratchDatabases());

  it('answers /healthz with 503 once the schema is dropped, though the server still answers SELECT 1', async () => {
    expect((await fetch(`${app.server.url}/healthz`)).status).toBe(200);
    await dropSchema(dbUrl);
    expect(await app.db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const res = await fetch(`${app.server.url}/healthz`);
    expect([res.status, (await res.json()).status]).toEqual([503, 'unavailable']);
  });

  it('answers the webhook with 503 (so the sender retries) once the schema is dropped', async () => {
    await dropSchema(dbUrl);
    const res = await app.sendEvent(workOrderEvent('completed'));
    expect([res.status, res.body.error.code]).toEqual([503, 'database_unavailable']);
  });

  it('answers the webhook with 503 once the database connection is gone', async () => {
    await app.db.destroy();
    const res = await app.sendEvent(workOrderEvent('completed'));
    expect([res.status, res.body.error.code]).toEqual([503, 'database_unavailable']);
  });
});
