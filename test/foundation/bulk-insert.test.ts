import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { InboundEvent } from '../../entities';
import { insertRows } from '../../src/db/bulk-insert';
import { openTestDatabase } from '../support/database';

/** Rows written in bulk read back exactly as given, whatever their text holds. */
describe('insertRows', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db.destroy());

  it('stores long and short texts unchanged: quotes, backslashes, Chinese, emoji, newlines', async () => {
    const awkward = `他说："电梯异响\\n" 'quoted' \\ back\\slash 🚪 ${'\u0000'.length} end\nnext line; DROP TABLE visits; --`;
    const long = { note: awkward.repeat(20), list: Array.from({ length: 30 }, (_, i) => `${i}: ${awkward}`) };
    const short = { note: 'it\'s "short"' };
    const at = new Date('2026-11-26T07:00:00.123Z');
    await insertRows(db.manager, InboundEvent, [
      { source: 'survey', eventId: 'long', type: awkward.slice(0, 40), outcome: 'applied', payload: long, receivedAt: at },
      { source: 'survey', eventId: 'short', type: 'x', outcome: 'applied', payload: short, receivedAt: at },
    ]);
    expect(JSON.stringify(long).length).toBeGreaterThan(1000);
    const stored = await db.manager.find(InboundEvent, { where: { source: 'survey' }, order: { eventId: 'ASC' } });
    expect(stored.map((e) => [e.eventId, e.type, e.payload, e.receivedAt.toISOString()])).toEqual([
      ['long', awkward.slice(0, 40), long, at.toISOString()],
      ['short', 'x', short, at.toISOString()],
    ]);
    expect(Number((await db.query(`SELECT COUNT(*) AS n FROM visits`))[0].n)).toBe(0);
  });
});
