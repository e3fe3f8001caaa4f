import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { RunningServer, startServer } from '../../src/server';
import { dbKindUnderTest, openTestDatabase } from '../support/database';

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
