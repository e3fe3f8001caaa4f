import { DateTime } from 'luxon';
import { Between, DataSource, In } from 'typeorm';
import { Campaign, Customer, Office } from '../../entities';
import { Clock } from '../clock';
import { callDays } from '../rules/campaign-days';
import { isoWeekOf } from '../rules/iso-week';
import { inZone } from '../rules/local-time';
import { resolvePolicy } from '../rules/office-policy';
import { demoApi } from './demo-api';
import { DEMO_OFFICE_ID, DEMO_TIME_ZONE } from './demo-office';
import { SandboxHost } from './sandbox-host';

/** How many customers the demo's inquiry sheet holds. */
export const DEMO_CUSTOMERS = 30;

const NAMES = '郑明 冯雪 韩冰 曹阳 许诺 邓超 萧然 田甜 董洁 袁野 潘悦 蒋涛 蔡琳 余晖 杜鹃 叶青 程远 魏来 苏晴 吕方 丁宁 沈括 姜山 范文 方圆 石磊 姚远 谭静 廖凡 邹娜'.split(' ');
const REGIONS = ['上海', '江苏', '浙江', '广东', '北京'];
const PRODUCTS = ['空气源热泵', '新风系统', '净水设备'];

/** The demo's inquiry sheet (询盘统计表) as an operator would export it: a CSV with Chinese headers. */
export function demoInquirySheet(today: DateTime): string {
  const rows = NAMES.slice(0, DEMO_CUSTOMERS).map((name, i) => [
    name,
    `${name.slice(0, 1)}氏贸易有限公司`,
    `1391000${String(i + 1).padStart(4, '0')}`,
    REGIONS[i % REGIONS.length],
    i % 3 === 0 ? '经销商' : '终端客户',
    today.minus({ days: 10 + i }).toISODate(),
    PRODUCTS[i % PRODUCTS.length],
    `咨询${PRODUCTS[i % PRODUCTS.length]}的价格和安装周期`,
  ]);
  return [['姓名', '公司', '电话', '地区', '分类', '询盘日期', '产品', '询盘内容'], ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

/**
 * Seeds the demo's follow-up campaign (docs/rules.md §8) as an operator would: the inquiry sheet
 * imported (`POST /api/offices/office-1/customers/import`), then a campaign set up with
 * `POST /api/campaigns` calling the 30 customers, 赵专员 and 钱专员 in turn, over the working days
 * left this week from today — or over next week's when this week's callable hours are over (the
 * API plans no call on a day that is over). Once a week: a campaign of the demo office starting
 * in that week means a second seed only imports the sheet again (every row an update).
 */
export async function seedDemoCampaign(host: Pick<SandboxHost, 'url' | 'config' | 'dataSource'>, clock: Clock): Promise<{ campaignId: string; customers: number; calls: number }> {
  const now = clock.now();
  const api = demoApi(host, 'the demo campaign');
  const imported = await api('POST', `/api/offices/${DEMO_OFFICE_ID}/customers/import`, demoInquirySheet(inZone(now, DEMO_TIME_ZONE)), 'text/csv');
  const customers = Number(imported.imported ?? 0) + Number(imported.updated ?? 0);
  const span = await demoCampaignSpan(host.dataSource, now);
  const existing = await host.dataSource.getRepository(Campaign).findOne({ where: { officeId: DEMO_OFFICE_ID, startsOn: Between(span.week.monday, span.week.sunday) }, order: { createdAt: 'ASC' } });
  if (existing) return { campaignId: existing.id, customers, calls: 0 };
  const phones = NAMES.slice(0, DEMO_CUSTOMERS).map((_, i) => `1391000${String(i + 1).padStart(4, '0')}`);
  const found = await host.dataSource.getRepository(Customer).find({ where: { officeId: DEMO_OFFICE_ID, phone: In(phones) }, order: { phone: 'ASC' } });
  const created = await api('POST', '/api/campaigns', {
    officeId: DEMO_OFFICE_ID,
    name: `询盘客户回访 ${span.week.label}`,
    purposes: ['relation', 'inquiry'],
    questions: [
      { key: 'service', text: '您对我们销售人员的服务满意吗？', type: 'rating' },
      { key: 'product', text: '您对产品介绍满意吗？', type: 'rating' },
      { key: 'source', text: '您从哪里知道我们？', type: 'choice', options: ['展会', '网站', '朋友介绍', '其他'] },
      { key: 'advice', text: '您对我们有什么建议？', type: 'text' },
    ],
    from: span.from,
    to: span.to,
    customers: { ids: found.map((c) => c.id) },
    staff: ['sp1', 'sp2'],
    methods: ['phone', 'chat', 'email'],
  });
  return { campaignId: String(created.id), customers, calls: Number(created.visits) };
}

/**
 * The demo campaign's week and first and last call day: this week's working days from today
 * when one of them still has callable hours, else next week's working days.
 */
async function demoCampaignSpan(dataSource: DataSource, now: Date): Promise<{ week: { label: string; monday: string; sunday: string }; from: string; to: string }> {
  const office = await dataSource.getRepository(Office).findOneByOrFail({ id: DEMO_OFFICE_ID });
  const policy = resolvePolicy(office.policy);
  const thisWeek = isoWeekOf(now, DEMO_TIME_ZONE);
  for (const [week, from] of [
    [thisWeek, inZone(now, DEMO_TIME_ZONE).toISODate()!],
    [isoWeekOf(thisWeek.to, DEMO_TIME_ZONE), null],
  ] as const) {
    const monday = inZone(week.from, DEMO_TIME_ZONE);
    const sunday = monday.plus({ days: 6 }).toISODate()!;
    const days = callDays({ from: from ?? monday.toISODate()!, to: sunday }, DEMO_TIME_ZONE, policy.workingHours, policy.residentQuietHours, now);
    if (days.length > 0) return { week: { label: week.label, monday: monday.toISODate()!, sunday }, from: days[0].date, to: days[days.length - 1].date };
  }
  throw new Error('the demo office has no working day with callable hours');
}
