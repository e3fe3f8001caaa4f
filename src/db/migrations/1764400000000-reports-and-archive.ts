import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { col, createTable } from './table-kit';

/**
 * Reports and archive (docs/rules.md §5–§6): locked quarters with their archive file (stored as
 * chunks that each fit a MySQL BLOB, see QuarterArchiveChunk), the written review and
 * decision on each quarter's statistics, and covering indexes that let the quarterly
 * statistics read one office-quarter from indexes alone (bench/quarterly-stats.bench.ts).
 */
export class ReportsAndArchive1764400000000 implements MigrationInterface {
  name = 'ReportsAndArchive1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(q, 'quarter_archives', [
      col.key('officeId'),
      col.key('quarter', 8),
      col.instant('lockedAt', false),
      col.text('fileName', 191),
      col.int('fileSize'),
      col.text('fileSha256', 64),
      col.instant('anonymisedAt'),
    ]);

    await createTable(q, 'quarter_archive_chunks', [
      col.key('officeId'),
      col.key('quarter', 8),
      col.int('seq', { primary: true }),
      // 'blob' on both databases: ≤ 65,535 bytes per chunk on MySQL/MariaDB.
      { name: 'bytes', type: 'blob', isNullable: false },
    ]);

    await createTable(
      q,
      'quarterly_reviews',
      [
        col.id(),
        col.text('officeId'),
        col.text('quarter', 8),
        col.text('step', 16),
        col.text('staffId'),
        col.longText('opinion'),
        col.text('decision', 24, true),
        col.longText('note'),
        col.instant('at', false),
      ],
      [{ name: 'idx_quarterly_reviews_quarter', columnNames: ['officeId', 'quarter', 'id'] }],
    );

    for (const [table, index] of STATS_INDEXES) await q.createIndex(table, new TableIndex(index));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, index] of STATS_INDEXES) await q.dropIndex(table, index.name);
    for (const table of ['quarterly_reviews', 'quarter_archive_chunks', 'quarter_archives']) await q.dropTable(table);
  }
}

/**
 * Covering indexes of the quarterly statistics: an office-quarter's visits (kinds, staff,
 * unqualified), its work orders (eligible, repeat repairs) and the complaint history of its
 * units (repeat complaints). Their key lengths stay within InnoDB's 3,072 bytes in utf8mb4.
 */
const STATS_INDEXES: [string, { name: string; columnNames: string[] }][] = [
  [
    'visits',
    {
      name: 'idx_visits_stats',
      columnNames: ['officeId', 'quarter', 'kind', 'status', 'purpose', 'recordedAt', 'late', 'satisfaction', 'closesAt', 'verdict', 'workOrderId', 'unitId'],
    },
  ],
  ['work_orders', { name: 'idx_work_orders_stats', columnNames: ['officeId', 'quarter', 'kind', 'unitId', 'matterKey', 'sampling', 'completedAt'] }],
  ['work_orders', { name: 'idx_work_orders_matter_history', columnNames: ['officeId', 'kind', 'unitId', 'matterKey', 'completedAt'] }],
];
