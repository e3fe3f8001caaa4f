import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { Visit, VisitStatus } from '../../entities';
import { dbKindUnderTest, openTestDatabase } from '../support/database';

describe('the database under test', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it(`runs against ${dbKindUnderTest()} as DB_URL says`, () => {
    // CI reads this test's name to prove the MariaDB run really used MariaDB.
    expect(db.options.type).toMatch(dbKindUnderTest() === 'mysql' ? /^(mysql|mariadb)$/ : /^better-sqlite3$/);
  });

  it('has a schema after migrating that matches the entities exactly', async () => {
    const pending = await db.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('keeps instants in UTC to the millisecond and compares them in SQL', async () => {
    const opensAt = new Date('2026-11-26T15:59:59.999Z');
    const repo = db.getRepository(Visit);
    const saved = await repo.save(
      repo.create({
        officeId: 'o1',
        workOrderId: 'WO-1',
        kind: 'complaint',
        purpose: 'main',
        status: VisitStatus.Planned,
        quarter: '2026-Q4',
        opensAt,
        closesAt: new Date('2026-11-29T15:59:59.999Z'),
        createdAt: opensAt,
        updatedAt: opensAt,
      }),
    );
    const back = await repo.findOneByOrFail({ id: saved.id });
    expect(back.opensAt.toISOString()).toBe('2026-11-26T15:59:59.999Z');
    const before = await repo
      .createQueryBuilder('v')
      .where('v.opensAt <= :at', { at: new Date('2026-11-26T15:59:59.998Z') })
      .getCount();
    const at = await repo.createQueryBuilder('v').where('v.opensAt <= :at', { at: opensAt }).getCount();
    expect([before, at]).toEqual([0, 1]);
  });

  it('stores Chinese text unchanged', async () => {
    await db.query(`INSERT INTO offices (id, name, timeZone, createdAt, updatedAt) VALUES ('o-zh', '一号物业服务中心', 'Asia/Shanghai', '2026-11-01 00:00:00.000', '2026-11-01 00:00:00.000')`);
    const rows = await db.query(`SELECT name FROM offices WHERE id = 'o-zh'`);
    expect(rows[0].name).toBe('一号物业服务中心');
  });

  it('gives every table and the connection one charset and collation', async () => {
    if (dbKindUnderTest() === 'sqlite') {
      const [row] = await db.query('PRAGMA encoding');
      expect(row.encoding).toBe('UTF-8');
      return;
    }
    const tables = await db.query(
      `SELECT DISTINCT TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'migrations'`,
    );
    const [conn] = await db.query(`SELECT @@collation_connection AS c`);
    expect(tables.map((t: { c: string }) => t.c)).toEqual(['utf8mb4_unicode_ci']);
    expect(conn.c).toBe('utf8mb4_unicode_ci');
  });
});
