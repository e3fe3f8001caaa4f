import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { InboundEvent } from '../../entities';
import { insertStatement } from '../../src/db/bulk-insert';
import { runTogether, Statement } from '../../src/db/statements';
import { inTransaction } from '../../src/db/transaction';
import { isEventIdTaken } from '../../src/db/work-order-batch';
import { openTestDatabase } from '../support/database';

/**
 * The webhook's batches send their statements together (one round trip on MySQL/MariaDB, one
 * by one on SQLite): each result must come back in its place, a failure must undo the whole
 * transaction, and a clash on the idempotency key must be told from any other clash.
 */
describe('statements sent together', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
    await db.query('DROP TABLE IF EXISTS clash_probe');
    await db.query('CREATE TABLE clash_probe (id VARCHAR(191) NOT NULL PRIMARY KEY)');
  });
  afterAll(async () => {
    await db.query('DROP TABLE IF EXISTS clash_probe');
    await db.destroy();
  });

  const at = new Date('2026-11-26T07:00:00Z');
  const claim = (eventId: string): Statement =>
    insertStatement(db.manager, InboundEvent, [
      { source: 'work_orders', eventId, type: 'work_order.completed', subjectId: 'WO-1', outcome: 'applied', payload: { eventId }, receivedAt: at, processedAt: at },
    ])!;
  const storedEventIds = async () => (await db.query(`SELECT eventId FROM inbound_events ORDER BY eventId`)).map((r: { eventId: string }) => r.eventId);
  const failureOf = async (work: Promise<unknown>): Promise<unknown> => work.then(() => null, (err: unknown) => err);

  it('answers each statement in its place, null where none was given', async () => {
    const results = await inTransaction(db, (m) =>
      runTogether(m, [claim('e-1'), null, { sql: 'SELECT eventId FROM inbound_events WHERE eventId = ?', params: ['e-1'] }, claim('e-2')]),
    );
    expect(results[1]).toBeNull();
    expect(results[2]).toEqual([{ eventId: 'e-1' }]);
    expect(results[0]).not.toBeNull();
    expect(await storedEventIds()).toEqual(['e-1', 'e-2']);
  });

  it('undoes the earlier statements of the transaction when a later one fails', async () => {
    const err = await failureOf(inTransaction(db, (m) => runTogether(m, [claim('e-3'), { sql: 'INSERT INTO clash_probe (id) VALUES (?)', params: ['p-1'] }, claim('e-1')])));
    expect(isEventIdTaken(err)).toBe(true);
    expect(await storedEventIds()).toEqual(['e-1', 'e-2']);
    expect(await db.query('SELECT id FROM clash_probe')).toEqual([]);
  });

  it("tells a stored event from another clash by the key the database names, never by the clashing text", async () => {
    const text = "x' for key 'uq_inbound_source_event";
    await db.query('INSERT INTO clash_probe (id) VALUES (?)', [text]);
    const err = await failureOf(inTransaction(db, (m) => runTogether(m, [claim('e-4'), { sql: 'INSERT INTO clash_probe (id) VALUES (?)', params: [text] }])));
    expect(err).not.toBeNull();
    expect(isEventIdTaken(err)).toBe(false);
    expect(await storedEventIds()).toEqual(['e-1', 'e-2']);
  });

  it('refuses a part that holds a ";" of its own before sending anything', async () => {
    const err = await failureOf(inTransaction(db, (m) => runTogether(m, [claim('e-5'), { sql: 'SELECT 1; SELECT 2', params: [] }])));
    expect(String(err)).toMatch(/must not contain ";"/);
    expect(await storedEventIds()).toEqual(['e-1', 'e-2']);
  });
});
