import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/workorders/webhook-signature';
import { ADMIN_TOKEN, OFFICE_1, startTestApp, TestApp, WEBHOOK_SECRET, workOrderEvent } from '../support/app';
import { emptyAllTables } from '../support/database';
import { rawRequest } from '../support/raw-http';

const MiB = 1024 * 1024;

/** Sends `body` (Content-Length, or chunked) and reports the answer and any socket error. */
function sendLarge(url: string, init: { method: string; path: string; headers: Record<string, string>; body: Buffer; chunked?: boolean }) {
  const base = new URL(url);
  return new Promise<{ status: number; connection: string | undefined; type: string | undefined; text: string; errors: string[] }>((resolve) => {
    const errors: string[] = [];
    // A client that would keep the connection for its next request, as browsers and agents do.
    const headers = { connection: 'keep-alive', ...init.headers, ...(init.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(init.body.length) }) };
    const req = request({ host: base.hostname, port: base.port, method: init.method, path: init.path, headers, agent: false });
    req.on('error', (err: NodeJS.ErrnoException) => errors.push(err.code ?? err.message));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err: NodeJS.ErrnoException) => errors.push(err.code ?? err.message));
      res.on('end', () => {
        // The server closes the connection: wait for it to be gone, then report what happened.
        req.socket?.once('close', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, type: res.headers['content-type'], text: Buffer.concat(chunks).toString('utf8'), errors }),
        );
        if (req.socket?.destroyed) req.socket.emit('close');
      });
    });
    // Written in pieces, as a client on a network sends it.
    for (let at = 0; at < init.body.length; at += 64 * 1024) req.write(init.body.subarray(at, at + 64 * 1024));
    req.end();
  });
}

describe('bad input through HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-26T07:10:05Z', env: { LINK_SECRET: 'bad-input-links' } });
  });
  afterAll(async () => app.close());
  beforeEach(async () => {
    await emptyAllTables(app.db);
    expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
  });

  const count = async (table: string) => Number((await app.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const signedHeaders = (raw: string | Buffer) => {
    const timestamp = String(Math.floor(app.clock.now().getTime() / 1000));
    return { 'content-type': 'application/json', 'x-timestamp': timestamp, 'x-signature': signWebhook(WEBHOOK_SECRET, timestamp, raw) };
  };

  it('refuses an office id over 64 characters with 400 naming it, and stores nothing', async () => {
    const res = await app.api('PUT', `/api/offices/${'o'.repeat(65)}`, OFFICE_1);
    expect([res.status, res.body.error.details.fields]).toEqual([400, [{ field: 'officeId', message: expect.any(String) }]]);
    expect(await count('offices')).toBe(1);
    expect((await app.api('PUT', `/api/offices/${'o'.repeat(64)}`, OFFICE_1)).status).toBe(201);
  });

  it("refuses a staff confirmation by a staff id of another office, and changes nothing", async () => {
    expect((await app.api('PUT', '/api/offices/office-2', { name: '二号', staff: [{ id: 'x9', name: '外人', roles: ['specialist', 'supervisor'] }] })).status).toBe(201);
    const planned = await app.sendEvent(workOrderEvent('completed', { id: 'WO-C1', completedAt: '2026-11-26T07:10:00Z' }));
    const id = planned.body.visits[0].id;
    const visitor = planned.body.visits[0].assignees[0];
    const recorded = await app.api('POST', `/api/visits/${id}/record`, { staffId: visitor, method: 'phone', answers: { quality: 5, effect: 5, satisfaction: 5, shortcomings: ['none'] } });
    expect(recorded.status).toBe(200);
    const before = (await app.api('GET', `/api/visits/${id}`)).body;
    const stranger = await app.api('POST', `/api/visits/${id}/confirm`, { staffId: 'x9' });
    expect(stranger.status).toBe(403);
    expect((await app.api('GET', `/api/visits/${id}`)).body).toEqual(before);
    expect((await app.api('POST', `/api/visits/${id}/confirm`, { staffId: visitor })).status).toBe(200);
  });

  for (const chunked of [false, true]) {
    it(`answers a body over 1 MiB (${chunked ? 'chunked' : 'with its length'}) with 413 and closes the connection cleanly`, async () => {
      const body = Buffer.from(JSON.stringify(workOrderEvent('completed', { title: 'x'.repeat(2 * MiB) })));
      const webhook = await sendLarge(app.server.url, { method: 'POST', path: '/webhooks/work-orders', headers: signedHeaders(body), body, chunked });
      expect([webhook.status, webhook.connection, webhook.errors]).toEqual([413, 'close', []]);
      expect(JSON.parse(webhook.text).error.code).toBe('payload_too_large');
      const api = await sendLarge(app.server.url, {
        method: 'PUT',
        path: '/api/offices/office-3',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body,
        chunked,
      });
      expect([api.status, api.connection, api.errors]).toEqual([413, 'close', []]);
      expect(await count('inbound_events')).toBe(0);
      expect(await count('offices')).toBe(1);
    });
  }

  it('answers an oversized survey post with the 413 page, not JSON', async () => {
    const planned = await app.sendEvent(workOrderEvent('completed', { id: 'WO-S1', kind: 'repair', severity: null, department: null, matterKey: 'kitchen-tap' }));
    const token = app.server.links.issue({ visitId: planned.body.visits[0].id, purpose: 'survey' }, app.clock.now());
    const body = Buffer.from(`suggestions=${'x'.repeat(64 * 1024)}`);
    const res = await sendLarge(app.server.url, { method: 'POST', path: `/s/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect([res.status, res.type, res.connection, res.errors]).toEqual([413, 'text/html; charset=utf-8', 'close', []]);
    expect(res.text).toContain('data-notice="too_large"');
  });

  it('answers JSON that does not parse with 400 invalid_json, and a body that is not JSON by its type with 415', async () => {
    const garbled = '{"eventId": ';
    const webhook = await rawRequest(app.server.url, { method: 'POST', path: '/webhooks/work-orders', headers: signedHeaders(garbled), body: garbled });
    expect([webhook.status, JSON.parse(webhook.text).error.code]).toEqual([400, 'invalid_json']);
    const api = await app.api('PUT', '/api/offices/office-3', undefined, {});
    const garbledApi = await rawRequest(app.server.url, {
      method: 'PUT',
      path: '/api/offices/office-3',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: '{"name": "三号",',
    });
    expect([api.status, garbledApi.status, JSON.parse(garbledApi.text).error.code]).toEqual([400, 400, 'invalid_json']);
    const form = 'eventId=1&type=x';
    const notJson = await rawRequest(app.server.url, {
      method: 'POST',
      path: '/webhooks/work-orders',
      headers: { ...signedHeaders(form), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect([notJson.status, JSON.parse(notJson.text).error.code]).toEqual([415, 'unsupported_media_type']);
    expect(await count('inbound_events')).toBe(0);
    expect(await count('offices')).toBe(1);
  });

  it('refuses a lone UTF-16 surrogate, escaped or as bytes, with 400 naming the field, and stores nothing', async () => {
    const escaped = JSON.stringify(workOrderEvent('completed', { id: 'WO-U1', title: 'lift \ud800 noise' }));
    expect(escaped).toContain('\\ud800');
    const webhook = await rawRequest(app.server.url, { method: 'POST', path: '/webhooks/work-orders', headers: signedHeaders(escaped), body: escaped });
    expect([webhook.status, JSON.parse(webhook.text).error.details.fields.map((f: { field: string }) => f.field)]).toEqual([400, ['workOrder.title']]);

    // The surrogate U+D800 as UTF-8-style bytes (ED A0 80): not UTF-8, it would be read as three U+FFFD.
    const bytes = Buffer.concat([Buffer.from('{"name":"三号'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","staff":[]}')]);
    const office = await rawRequest(app.server.url, {
      method: 'PUT',
      path: '/api/offices/office-3',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: bytes,
    });
    expect([office.status, JSON.parse(office.text).error]).toEqual([
      400,
      { code: 'invalid_text', message: 'invalid fields: name (is not valid Unicode text)', details: { fields: [{ field: 'name', message: 'is not valid Unicode text' }] } },
    ]);
    const escapedStaff = await app.api('PUT', '/api/offices/office-3', { name: '三号', staff: [{ id: 's1', name: '\udc00', roles: ['specialist'] }] });
    expect([escapedStaff.status, escapedStaff.body.error.details.fields]).toEqual([400, [{ field: 'staff.0.name', message: 'is not valid Unicode text' }]]);
    expect(await count('inbound_events')).toBe(0);
    expect(await count('offices')).toBe(1);
    // Well-formed text, emoji (surrogate pairs) and a real U+FFFD included, passes.
    expect((await app.api('PUT', '/api/offices/office-3', { name: '三号 🏠 \ufffd', staff: [] })).status).toBe(201);
  });
});
