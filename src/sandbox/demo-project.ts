import { DateTime } from 'luxon';
import { Clock } from '../clock';
import { DEMO_OFFICE_ID, DEMO_TIME_ZONE } from './demo-office';
import { demoApi } from './demo-api';
import { SandboxHost } from './sandbox-host';

/** The demo's construction project: the building the demo office took over from its builder. */
export const DEMO_PROJECT_ID = 'demo-project';

/**
 * Seeds the demo project through the admin API, as an operator would: accepted 21 months and
 * ten days ago, so electrical and plumbing's two years end within the next 90 days (the report
 * shows it, its pre-expiry visit comes up) and heating just after; the card was issued; one
 * repair was reported two hours ago and waits for someone on site. Saving the project again
 * changes nothing, and the repair is only reported when the project has none.
 *
 * @throws Error naming the call when the API refuses one (a bug in the demo data).
 */
export async function seedDemoProject(host: Pick<SandboxHost, 'url' | 'config'>, clock: Clock): Promise<{ projectId: string; repairs: number }> {
  const api = demoApi(host, 'the demo project');
  const now = DateTime.fromJSDate(clock.now(), { zone: DEMO_TIME_ZONE });
  const saved = await api('PUT', `/api/projects/${DEMO_PROJECT_ID}`, {
    officeId: DEMO_OFFICE_ID,
    name: '一号花园三期',
    acceptedOn: now.minus({ months: 21, days: 10 }).toISODate(),
    designLifeYears: 50,
    warrantyLead: 'sp1',
    owner: { name: '一号花园置业有限公司', phone: '02100000000' },
    contractor: { name: '华建集团第三工程公司', address: '上海市浦东新区世纪大道 100 号', phone: '021-55550000', department: '保修部', contact: '周工' },
  });
  if (!(saved.card as { issuedAt: string | null }).issuedAt) await api('POST', `/api/projects/${DEMO_PROJECT_ID}/card/issue`);
  if ((saved.repairs as unknown[]).length > 0) return { projectId: DEMO_PROJECT_ID, repairs: 0 };
  await api('POST', `/api/projects/${DEMO_PROJECT_ID}/repairs`, {
    reportedAt: now.minus({ hours: 2 }).toISO(),
    category: 'waterproofing',
    location: '3 号楼 1502 卫生间',
    description: '楼下 1402 顶棚渗水，疑为卫生间防水层破损',
  });
  return { projectId: DEMO_PROJECT_ID, repairs: 1 };
}
