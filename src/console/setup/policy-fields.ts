import { KIND_SHORT_LABELS } from '../../reports/form-labels';
import { WORK_ORDER_KINDS } from '../../rules/kinds';
import { DEFAULT_POLICY, OfficePolicyInput } from '../../rules/office-policy';
import { FormValues } from './setup-form';

/** How a form field's text becomes a policy value (what zod then checks). */
type FieldType = 'number' | 'clock' | 'yesno' | 'weekdays' | 'text';

/** One policy value as the console shows it: its path in `policy`, label, default and explanation. */
export interface PolicyField {
  /** The path in the admin API's `policy` (`specialService.midFrom`): also the form field's name. */
  name: string;
  label: string;
  type: FieldType;
  /** The default, as shown (what applies while the field is left empty). */
  fallback: string;
  explanation: string;
}

export interface PolicyGroup {
  title: string;
  fields: PolicyField[];
}

const d = DEFAULT_POLICY;
const yesNo = (value: boolean) => (value ? '是' : '否');
const field = (name: string, label: string, type: FieldType, fallback: unknown, explanation: string): PolicyField => ({ name, label, type, fallback: String(fallback), explanation });

/** Every policy value of docs/rules.md (the "interpretations" an office may set), grouped as the page shows them. */
export const POLICY_GROUPS: readonly PolicyGroup[] = [
  {
    title: '谁完成回访（按类别）',
    fields: WORK_ORDER_KINDS.map((kind) =>
      field(`selfSurveyCompletes.${kind}`, `${KIND_SHORT_LABELS[kind]}：住户自评即完成回访`, 'yesno', yesNo(d.selfSurveyCompletes[kind]), '「是」：住户在聊天或问卷里的回答就是回访；「否」：须由指定员工回访并记录，住户再确认（SOP 4.1.3、4.4）。'),
    ),
  },
  {
    title: '时限',
    fields: [
      field('residentReaskAfterHours', '住户未答复后再问（小时）', 'number', d.residentReaskAfterHours, '住户没有回答时，隔多久再问一次；再过同样时长仍无回答，交回专员电话或上门回访。1–168。'),
      field('escalationHours', '经理处理升级的时限（小时）', 'number', d.escalationHours, '不合格回访升级后，经理写出处理意见的时限；过半提醒，超时告知主管。1–720。'),
      field('reviewCloseDays', '审核通过后自动关闭（天）', 'number', d.reviewCloseDays, '审核通过后，即使确认未齐，过这么多天也关闭回访。1–60。'),
      field('resolutionWaitHours', '等待住户确认问题已解决（小时）', 'number', d.resolutionWaitHours, '经理处理后问住户问题是否解决；无回答过此时长即以「已处理」关闭。1–720。'),
    ],
  },
  {
    title: '免打扰时段（当地时间 HH:mm）',
    fields: [
      field('quietHours.from', '所有人：开始', 'clock', d.staffQuietHours.start, '对员工和住户都适用；下面两组可分别另设。'),
      field('quietHours.to', '所有人：结束', 'clock', d.staffQuietHours.end, '此时段内到期的消息在结束时发出。'),
      field('staffQuietHours.start', '员工：开始', 'clock', d.staffQuietHours.start, '只对员工；优先于「所有人」。'),
      field('staffQuietHours.end', '员工：结束', 'clock', d.staffQuietHours.end, ''),
      field('residentQuietHours.start', '住户：开始', 'clock', d.residentQuietHours.start, '只对住户；优先于「所有人」（机械程序 4.2(2)）。'),
      field('residentQuietHours.end', '住户：结束', 'clock', d.residentQuietHours.end, ''),
    ],
  },
  {
    title: '不合格与重复投诉',
    fields: [
      field('unqualifiedThreshold', '不合格分数线', 'number', d.unqualifiedThreshold, '质量、效果、满意度任一项不高于此分即回访不合格。1–4。'),
      field('unqualifiedLookbackDays', '不合格回溯（天）', 'number', d.unqualifiedLookbackDays, '房屋在这么多天内有不合格回访，其下一张工单一定回访。1–730。'),
      field('repeatComplaintDays', '连续投诉间隔（天）', 'number', d.repeatComplaintDays, '同一事项的投诉相隔不超过这么多天才算「连续」投诉。1–365。'),
    ],
  },
  {
    title: '归档与保存（SOP 4.8）',
    fields: [
      field('archiveReminderDay', '归档提醒日', 'number', d.archiveReminderDay, '下季度首月的这一天提醒主管归档。1–29，须早于锁定日。'),
      field('archiveLockDay', '归档锁定日', 'number', d.archiveLockDay, '下季度首月的这一天锁定上季度记录。2–30。'),
      field('retentionYears', '保存年限', 'number', d.retentionYears, '归档后保存这么多年，之后匿名化（统计保留）。1–30。'),
    ],
  },
  {
    title: '特约服务',
    fields: [
      field('specialService.midFrom', '合同中期回访：开始（占合同期比例）', 'number', d.specialService.midFrom, '0–1，如 0.4 = 合同期的 40 % 处开始。'),
      field('specialService.midTo', '合同中期回访：截止（占合同期比例）', 'number', d.specialService.midTo, '0–1，须大于开始。'),
      field('specialService.afterDays', '合同结束后回访期（天）', 'number', d.specialService.afterDays, '合同结束后这么多天内回访。0–90。'),
    ],
  },
  {
    title: '工程保修（docs/rules.md §7）',
    fields: [
      field('warrantyVisitEveryMonths', '定期保修回访间隔（月）', 'number', d.warrantyVisitEveryMonths, '项目未另设时使用。1–24。'),
      field('warrantyLeadDays', '保修到期前回访（天）', 'number', d.warrantyLeadDays, '每类保修到期前这么多天开始回访。1–180。'),
    ],
  },
  {
    title: '工作时间',
    fields: [
      field('workingHours.start', '上班', 'clock', d.workingHours.start, '按工作时间计的等待只在这段时间里走。'),
      field('workingHours.end', '下班', 'clock', d.workingHours.end, '须晚于上班。'),
      field('workingHours.weekdays', '工作日', 'weekdays', d.workingHours.weekdays.join(', '), '1 = 星期一 … 7 = 星期日，用逗号分隔。'),
      field('campaignClosingAt', '日清日结时间', 'clock', d.campaignClosingAt ?? '', '回访活动：此时把当天未记录的电话发给各回访员；空 = 下班时（员工免打扰开始更早时，其前 30 分钟）。'),
    ],
  },
  {
    title: '微信客户（群发任务与聊天工具栏）',
    fields: [
      field('customerMessages.phoneAfterWorkingHours', '群发未发出后转电话（工作小时）', 'number', d.customerMessages.phoneAfterWorkingHours, '员工这么久未发出群发任务，回访转为电话。1–72。'),
      field('customerMessages.remindEveryWorkingHours', '提醒员工间隔（工作小时）', 'number', d.customerMessages.remindEveryWorkingHours, '1–24。'),
      field('customerMessages.capPerMonth', '每位客户每月最多', 'number', '当月天数', '留空：当月天数。1–31。'),
      field('customerMessages.capPerWeek', '每位客户每周最多', 'number', '不限', '留空：不限。1–31。'),
      field('customerMessages.capPerDay', '每位客户每天最多', 'number', '不限', '留空：不限。1–31。'),
      field('customerMessages.sidebar', '由聊天工具栏发链接', 'yesno', yesNo(d.customerMessages.sidebar), '「是」：员工在聊天工具栏里发问卷链接，不建群发任务。'),
    ],
  },
  {
    title: '公众号模板消息',
    fields: [
      field('officialAccount.templateId', '模板 ID', 'text', '不使用', '留空：不经公众号联系住户。'),
      field('officialAccount.keys.title', '标题字段', 'text', 'keyword1', '模板里放回访事项的字段名。'),
      field('officialAccount.keys.date', '日期字段', 'text', 'keyword2', ''),
      field('officialAccount.keys.note', '备注字段', 'text', 'remark', ''),
    ],
  },
];

export const POLICY_FIELDS: readonly PolicyField[] = POLICY_GROUPS.flatMap((g) => g.fields);

/** The office's stored policy as form values (empty: the default applies). */
export function policyFormValues(policy: OfficePolicyInput | null): FormValues {
  const values: FormValues = {};
  for (const f of POLICY_FIELDS) {
    const value = f.name.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), policy);
    if (value === undefined || value === null) continue;
    values[f.name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return values;
}

/**
 * The policy the form says: every filled field at its path, empty ones left out (the default
 * applies). Text that is no number stays text, so the admin API's schema names the problem.
 */
export function policyFromForm(form: URLSearchParams): { policy: Record<string, unknown>; values: FormValues } {
  const policy: Record<string, unknown> = {};
  const values: FormValues = {};
  for (const f of POLICY_FIELDS) {
    const raw = (form.get(f.name) ?? '').trim();
    if (raw === '') continue;
    values[f.name] = raw;
    const keys = f.name.split('.');
    const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((at, key) => (at[key] ??= {}) as Record<string, unknown>, policy);
    parent[keys[keys.length - 1]] = valueOf(f.type, raw);
  }
  return { policy, values };
}

function valueOf(type: FieldType, raw: string): unknown {
  const number = (text: string) => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);
  switch (type) {
    case 'number':
      return number(raw);
    case 'yesno':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'weekdays':
      return raw.split(/[\s,，、]+/).filter(Boolean).map(number);
    default:
      return raw;
  }
}

/** The field of the page a problem of `policy.<path>` belongs to (the longest field path it starts with), if any. */
export function policyFieldOf(problemField: string): string | null {
  const path = problemField.replace(/^policy\./, '');
  const owners = POLICY_FIELDS.filter((f) => path === f.name || path.startsWith(`${f.name}.`));
  return owners.sort((a, b) => b.name.length - a.name.length)[0]?.name ?? null;
}
