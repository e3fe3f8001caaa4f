import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { Campaign, Customer } from '../../entities';
import { Clock } from '../clock';
import { isoWeekOf } from '../rules/iso-week';
import { demoApi } from './demo-api';
import { planCampaignCalls } from './demo-campaign-plan';
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
 * Seeds the demo's follow-up campaign (docs/rules.md §8): the inquiry sheet imported through the
 * customer import (`POST /api/offices/office-1/customers/import`), then a campaign over this
 * week's Monday to Friday calling the 30 customers, 赵专员 and 钱专员 in turn. The campaign is
 * planned by the stand-in planner (demo-campaign-plan.ts) until `POST /api/campaigns` is merged.
 * Once a week: the campaign's id names the week, and a second seed only imports the sheet again
 * (every row an update).
 */
export async function seedDemoCampaign(host: Pick<SandboxHost, 'url' | 'config' | 'dataSource'>, clock: Clock): Promise<{ campaignId: string; customers: number; calls: number }> {
  const now = clock.now();
  const today = DateTime.fromJSDate(now, { zone: DEMO_TIME_ZONE });
  const imported = await demoApi(host, 'the demo campaign')('POST', `/api/offices/${DEMO_OFFICE_ID}/customers/import`, demoInquirySheet(today), 'text/csv');
  const customers = Number(imported.imported ?? 0) + Number(imported.updated ?? 0);
  const week = isoWeekOf(now, DEMO_TIME_ZONE);
  const campaignId = `demo-${week.label}`;
  if ((await host.dataSource.getRepository(Campaign).countBy({ id: campaignId })) > 0) return { campaignId, customers, calls: 0 };
  const phones = NAMES.slice(0, DEMO_CUSTOMERS).map((_, i) => `1391000${String(i + 1).padStart(4, '0')}`);
  const found = await host.dataSource.getRepository(Customer).find({ where: { officeId: DEMO_OFFICE_ID, phone: In(phones) }, order: { phone: 'ASC' } });
  const monday = DateTime.fromJSDate(week.from, { zone: DEMO_TIME_ZONE });
  const calls = await planCampaignCalls(host.dataSource, {
    id: campaignId,
    officeId: DEMO_OFFICE_ID,
    name: '本周询盘客户回访',
    purposes: ['relation', 'inquiry'],
    questions: [
      { key: 'service', text: '您对我们销售人员的服务满意吗？', type: 'rating' },
      { key: 'product', text: '您对产品介绍满意吗？', type: 'rating' },
      { key: 'source', text: '您从哪里知道我们？', type: 'choice', options: ['展会', '网站', '朋友介绍', '其他'] },
      { key: 'advice', text: '您对我们有什么建议？', type: 'text' },
    ],
    startsOn: monday.toISODate() ?? '',
    endsOn: monday.plus({ days: 4 }).toISODate() ?? '',
    customerIds: found.map((c) => c.id),
    staffIds: ['sp1', 'sp2'],
    methods: ['phone', 'chat', 'email'],
    zone: DEMO_TIME_ZONE,
    day: { start: '09:00', end: '18:00', weekdays: [1, 2, 3, 4, 5] },
    now,
  });
  return { campaignId, customers, calls: calls.length };
}
