import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable } from './table-kit';

/** The foundation schema: offices, people, work orders, the idempotency log, visits with
 * their assignees and history, the outbox, job runs and sampling quotas. */
export class InitialSchema1764200000000 implements MigrationInterface {
  name = 'InitialSchema1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(q, 'offices', [
      col.key('id'),
      col.text('name', 200),
      col.text('timeZone', 64),
      col.text('channel', 16, true),
      col.json('rateTargets'),
      col.json('policy'),
      col.instant('createdAt', false),
      col.instant('updatedAt', false),
    ]);

    await createTable(
      q,
      'staff',
      [
        col.key('officeId'),
        col.key('id'),
        col.text('name', 100),
        col.json('roles', false),
        col.text('department', 64, true),
        col.text('wecomUserId', 64, true),
        col.text('dingtalkUserId', 64, true),
        col.bool('active', { default: true }),
        col.instant('updatedAt', false),
      ],
      [
        { name: 'idx_staff_wecom', columnNames: ['wecomUserId'] },
        { name: 'idx_staff_dingtalk', columnNames: ['dingtalkUserId'] },
      ],
    );

    await createTable(q, 'residents', [
      col.key('officeId'),
      col.key('id'),
      col.text('name', 100, true),
      col.text('phone', 32, true),
      col.text('wecomUserId', 64, true),
      col.text('wecomExternalUserId', 64, true),
      col.text('wecomContactOwner', 64, true),
      col.text('dingtalkUserId', 64, true),
      col.instant('anonymisedAt'),
      col.instant('updatedAt', false),
    ]);

    await createTable(
      q,
      'work_orders',
      [
        col.key('id'),
        col.text('officeId'),
        col.text('kind', 24),
        col.text('severity', 16, true),
        col.text('department', 64, true),
        col.text('matterKey', 128, true),
        col.text('title', 200, true),
        col.text('unitId', 64, true),
        col.text('residentId', 64, true),
        col.text('state', 16),
        col.instant('completedAt'),
        col.instant('contractStartAt'),
        col.instant('contractEndAt'),
        col.text('quarter', 8, true),
        col.int('completions', { default: 0 }),
        col.text('sampling', 16, true),
        col.text('samplingReason', 32, true),
        col.int('samplingEligible', { nullable: true }),
        col.int('samplingSelected', { nullable: true }),
        col.float('samplingTarget'),
        col.instant('lastEventAt', false),
        col.text('lastEventId', 191),
        col.instant('createdAt', false),
        col.instant('updatedAt', false),
      ],
      [
        { name: 'idx_work_orders_office_kind_quarter', columnNames: ['officeId', 'kind', 'quarter'] },
        { name: 'idx_work_orders_unit_matter', columnNames: ['officeId', 'unitId', 'matterKey'] },
      ],
    );

    await createTable(
      q,
      'inbound_events',
      [
        col.id(),
        col.text('source', 24),
        col.text('eventId', 191),
        col.text('type', 48, true),
        col.text('subjectId', 64, true),
        col.text('outcome', 16),
        col.json('payload'),
        col.instant('receivedAt', false),
        col.instant('processedAt'),
      ],
      [
        { name: 'uq_inbound_source_event', columnNames: ['source', 'eventId'], isUnique: true },
        { name: 'idx_inbound_outcome', columnNames: ['outcome', 'receivedAt'] },
      ],
    );

    await createTable(
      q,
      'visits',
      [
        col.id(),
        col.text('officeId'),
        col.text('workOrderId'),
        col.int('generation', { default: 1 }),
        col.text('kind', 24),
        col.text('purpose', 24),
        col.text('status', 16),
        col.text('quarter', 8),
        col.instant('opensAt', false),
        col.instant('closesAt', false),
        col.text('residentId', 64, true),
        col.text('unitId', 64, true),
        col.text('residentRoute', 16, true),
        col.instant('residentAskedAt'),
        col.instant('residentReaskedAt'),
        col.text('method', 16, true),
        col.int('quality', { nullable: true }),
        col.int('effect', { nullable: true }),
        col.int('satisfaction', { nullable: true }),
        col.json('shortcomings'),
        col.longText('shortcomingsText'),
        col.longText('suggestions'),
        col.bool('solved', { nullable: true }),
        col.longText('notes'),
        col.instant('recordedAt'),
        col.text('recordedBy', 64, true),
        col.bool('late', { default: false }),
        col.instant('residentConfirmedAt'),
        col.text('residentConfirmedBy', 128, true),
        col.instant('staffConfirmedAt'),
        col.text('staffConfirmedBy', 64, true),
        col.text('verdict', 16, true),
        col.instant('reviewedAt'),
        col.text('reviewerId', 64, true),
        col.longText('reviewOpinion'),
        col.instant('handledAt'),
        col.text('handlerId', 64, true),
        col.longText('handlingOpinion'),
        col.text('cancelReason', 32, true),
        col.instant('createdAt', false),
        col.instant('updatedAt', false),
      ],
      [
        { name: 'idx_visits_office_status', columnNames: ['officeId', 'status'] },
        { name: 'idx_visits_status_opens', columnNames: ['status', 'opensAt'] },
        { name: 'idx_visits_status_closes', columnNames: ['status', 'closesAt'] },
        { name: 'idx_visits_work_order', columnNames: ['workOrderId'] },
        { name: 'idx_visits_office_quarter_kind', columnNames: ['officeId', 'quarter', 'kind'] },
      ],
    );

    await createTable(
      q,
      'visit_assignees',
      [col.int('visitId', { primary: true }), col.key('staffId'), col.text('officeId'), col.text('role', 24)],
      [{ name: 'idx_assignees_staff', columnNames: ['officeId', 'staffId'] }],
    );

    await createTable(
      q,
      'visit_history',
      [
        col.id(),
        col.int('visitId'),
        col.instant('at', false),
        col.text('actor'),
        col.text('actorKind', 16),
        col.text('action', 48),
        col.json('details'),
      ],
      [{ name: 'idx_history_visit', columnNames: ['visitId', 'id'] }],
    );

    await createTable(
      q,
      'outbound_messages',
      [
        col.id(),
        col.text('officeId'),
        col.text('dedupeKey', 191),
        col.text('channel', 16),
        col.text('purpose', 48),
        col.int('visitId', { nullable: true }),
        col.text('recipientKind', 16),
        col.text('recipientId'),
        col.text('address', 191),
        col.text('cardId', 128, true),
        col.json('payload', false),
        col.text('status', 16),
        col.int('attempts', { default: 0 }),
        col.instant('nextAttemptAt', false),
        col.text('claimedBy', 64, true),
        col.instant('claimedUntil'),
        col.longText('lastError'),
        col.json('receipt'),
        col.instant('sentAt'),
        col.instant('createdAt', false),
      ],
      [
        { name: 'uq_outbox_dedupe', columnNames: ['dedupeKey'], isUnique: true },
        { name: 'idx_outbox_due', columnNames: ['status', 'nextAttemptAt'] },
        { name: 'idx_outbox_card', columnNames: ['cardId'] },
        { name: 'idx_outbox_visit', columnNames: ['visitId'] },
      ],
    );

    await createTable(
      q,
      'job_runs',
      [
        col.id(),
        col.text('job', 48),
        col.text('slot'),
        col.text('instanceId'),
        col.text('status', 16),
        col.instant('startedAt', false),
        col.instant('finishedAt'),
        col.json('result'),
      ],
      [{ name: 'uq_job_runs_slot', columnNames: ['job', 'slot'], isUnique: true }],
    );

    await createTable(q, 'sampling_quotas', [
      col.key('officeId'),
      col.key('kind', 24),
      col.key('quarter', 8),
      col.int('eligible', { default: 0 }),
      col.int('selected', { default: 0 }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'sampling_quotas',
      'job_runs',
      'outbound_messages',
      'visit_history',
      'visit_assignees',
      'visits',
      'inbound_events',
      'work_orders',
      'residents',
      'staff',
      'offices',
    ]) {
      await q.dropTable(table);
    }
  }
}
