import { IANAZone } from 'luxon';
import { DataSource, In, Not } from 'typeorm';
import { z } from 'zod';
import { Office, StaffMember } from '../../entities';
import { Clock } from '../clock';
import { inTransaction } from '../db/transaction';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm');

const whole = (min: number, max: number) =>
  z.number({ invalid_type_error: `must be a whole number from ${min} to ${max}` }).int(`must be a whole number from ${min} to ${max}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const templateKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'must be a key of the template, e.g. keyword1');
const share = z.number({ invalid_type_error: 'must be a share from 0 to 1' }).min(0, 'must be a share from 0 to 1').max(1, 'must be a share from 0 to 1');

/**
 * Every interpretation an office may set (src/rules/office-policy.ts). Strict: a name that is
 * not a policy value is refused, so a typo never silently leaves a default in force.
 */
const policySchema = z
  .object({
    selfSurveyCompletes: z
      .record(z.boolean({ invalid_type_error: 'must be true or false' }))
      .refine((map) => Object.keys(map).every((k) => (WORK_ORDER_KINDS as readonly string[]).includes(k)), {
        message: `keys must be work-order kinds: ${WORK_ORDER_KINDS.join(', ')}`,
      })
      .optional(),
    residentReaskAfterHours: whole(1, 168).optional(),
    escalationHours: whole(1, 720).optional(),
    unqualifiedLookbackDays: whole(1, 730).optional(),
    repeatComplaintDays: whole(1, 365).optional(),
    quietHours: z.object({ from: clock, to: clock }).strict().optional(),
    staffQuietHours: z.object({ start: clock, end: clock }).strict().optional(),
    residentQuietHours: z.object({ start: clock, end: clock }).strict().optional(),
    unqualifiedThreshold: whole(1, 4).optional(),
    archiveReminderDay: whole(1, 29).optional(),
    archiveLockDay: whole(2, 30).optional(),
    retentionYears: whole(1, 30).optional(),
    specialService: z
      .object({ midFrom: share.optional(), midTo: share.optional(), afterDays: whole(0, 90).optional() })
      .strict()
      .refine((s) => s.midFrom === undefined || s.midTo === undefined || s.midFrom < s.midTo, { message: 'midFrom must be below midTo', path: ['midTo'] })
      .optional(),
    warrantyVisitEveryMonths: whole(1, 24).optional(),
    warrantyLeadDays: whole(1, 180).optional(),
    reviewCloseDays: whole(1, 60).optional(),
    resolutionWaitHours: whole(1, 720).optional(),
    workingHours: z
      .object({ start: clock, end: clock, weekdays: z.array(whole(1, 7)).min(1, 'needs at least one day').optional() })
      .strict()
      .refine((w) => w.start < w.end, { message: 'start must come before end', path: ['end'] })
      .optional(),
    campaignClosingAt: clock.optional(),
    customerMessages: z
      .object({
        phoneAfterWorkingHours: whole(1, 72).optional(),
        remindEveryWorkingHours: whole(1, 24).optional(),
        capPerMonth: whole(1, 31).nullish(),
        capPerWeek: whole(1, 31).nullish(),
        capPerDay: whole(1, 31).nullish(),
        sidebar: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
      })
      .strict()
      .optional(),
    officialAccount: z
      .object({
        templateId: z.string({ required_error: 'is required' }).regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be the template id of the Official Account (letters, digits, _ and -)'),
        keys: z
          .object({ title: templateKey.optional(), date: templateKey.optional(), note: templateKey.optional() })
          .strict()
          .optional(),
      })
      .strict()
      .nullish(),
  })
  .strict()
  .refine((p) => (p.archiveReminderDay ?? 5) < (p.archiveLockDay ?? 10), {
    message: 'archiveReminderDay must come before archiveLockDay',
    path: ['archiveReminderDay'],
  });

export const officeInputSchema = z.object({
  name: z.string({ required_error: 'is required' }).min(1, 'must not be empty').max(200),
  timeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone, e.g. Asia/Shanghai')
    .optional(),
  channel: z.enum(['wecom', 'dingtalk']).nullish(),
  staff: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        name: z.string().min(1).max(100),
        roles: z.array(z.enum(['specialist', 'supervisor', 'dept_head', 'manager'])).min(1, 'needs at least one role'),
        department: z.string().max(64).nullish(),
        wecomUserId: z.string().max(64).nullish(),
        dingtalkUserId: z.string().max(64).nullish(),
      }),
    )
    .default([])
    .superRefine((staff, ctx) => {
      const seen = new Set<string>();
      staff.forEach((s, i) => {
        if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${s.id}" appears twice` });
        seen.add(s.id);
      });
    }),
  rateTargets: z
    .record(z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'))
    .refine((targets) => Object.keys(targets).every((k) => (WORK_ORDER_KINDS as readonly string[]).includes(k)), {
      message: `keys must be work-order kinds: ${WORK_ORDER_KINDS.join(', ')}`,
    })
    .nullish(),
  policy: policySchema.nullish(),
});

export type OfficeInput = z.infer<typeof officeInputSchema>;

/** Creates or replaces an office and its staff list (PUT semantics). */
export class OfficeService {
  constructor(private readonly deps: { dataSource: DataSource; clock: Clock; defaultTimeZone: string }) {}

  async put(id: string, input: OfficeInput): Promise<{ office: Office; staff: StaffMember[]; created: boolean }> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const existing = await manager.findOneBy(Office, { id });
      const office = manager.create(Office, {
        ...(existing ?? { createdAt: now }),
        id,
        name: input.name,
        timeZone: input.timeZone ?? existing?.timeZone ?? this.deps.defaultTimeZone,
        channel: input.channel ?? null,
        rateTargets: (input.rateTargets ?? null) as Partial<Record<WorkOrderKind, number>> | null,
        policy: input.policy ?? null,
        updatedAt: now,
      });
      await manager.save(Office, office);
      for (const s of input.staff) {
        await manager.upsert(
          StaffMember,
          {
            officeId: id,
            id: s.id,
            name: s.name,
            roles: s.roles,
            department: s.department ?? null,
            wecomUserId: s.wecomUserId ?? null,
            dingtalkUserId: s.dingtalkUserId ?? null,
            active: true,
            updatedAt: now,
          },
          ['officeId', 'id'],
        );
      }
      // Why deactivate instead of delete: past visits and statistics still name them.
      const keep = input.staff.map((s) => s.id);
      await manager.update(
        StaffMember,
        keep.length > 0 ? { officeId: id, id: Not(In(keep)) } : { officeId: id },
        { active: false, updatedAt: now },
      );
      const staff = await manager.find(StaffMember, { where: { officeId: id }, order: { id: 'ASC' } });
      return { office, staff, created: existing === null };
    });
  }

  async get(id: string): Promise<{ office: Office; staff: StaffMember[] } | null> {
    const office = await this.deps.dataSource.getRepository(Office).findOneBy({ id });
    if (!office) return null;
    const staff = await this.deps.dataSource.getRepository(StaffMember).find({ where: { officeId: id }, order: { id: 'ASC' } });
    return { office, staff };
  }
}
