import { DateTime } from 'luxon';
import { Project, RepairStatus, WarrantyRepair } from '../../entities';
import { Document, renderDocument } from '../http/html/document';
import { pagePolicy } from '../http/page-security';
import { WarrantyCategory, warrantyEnds } from '../rules/warranty-clock';
import { CATEGORY_LABELS, CAUSE_LABELS, periodLabel } from './warranty-labels';
import { termsOf } from './warranty-terms';

/** The printed card: A4 portrait, black on white, tables that keep their rows whole across pages. */
const CSS = `
@page { size: A4 portrait; margin: 18mm 16mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 11pt; color: #000; margin: 0 auto; max-width: 178mm; }
h1 { text-align: center; font-size: 22pt; letter-spacing: 0.5em; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
th { background: #eee; }
tr { page-break-inside: avoid; }
.meta td { border: none; padding: 0.5mm 0; }
.note { font-size: 10pt; }
.blank td { height: 9mm; }
`;

/** The card's Content-Security-Policy: its own CSS, no script. */
export const WARRANTY_CARD_POLICY = pagePolicy({ styles: [CSS] });

/** What the card needs besides the project: its repairs, the office zone and the instant it is printed. */
export interface WarrantyCardProps {
  project: Project;
  repairs: WarrantyRepair[];
  zone: string;
}

/**
 * The warranty card (保修证书) of a project, as a printable page in Chinese: the project, use
 * and care rules, scope and periods with each category's last covered day, the contractor's
 * contact, and the repair log (保修记录) filled from the project's repairs, with blank rows to
 * write in by hand.
 */
export function warrantyCardPage({ project, repairs, zone }: WarrantyCardProps): string {
  const day = (at: Date | null) => (at ? DateTime.fromJSDate(at, { zone }).toFormat('yyyy年M月d日') : '');
  const ends = warrantyEnds(termsOf(project));
  const c = project.contractor;
  return renderDocument(
    <Document title={`保修证书 · ${project.name}`} css={CSS}>
      <h1>保修证书</h1>
      <table class="meta">
        <tr><td>工程名称：{project.name}</td><td>证书编号：{project.id}</td></tr>
        <tr><td>建设单位（业主）：{project.owner.name}</td><td>竣工验收日期：{DateTime.fromISO(project.acceptedOn).toFormat('yyyy年M月d日')}</td></tr>
        <tr><td>保修期起算：{project.countFromNextDay ? '竣工验收合格之次日' : '竣工验收合格之日'}</td><td>发证日期：{project.cardIssuedAt ? day(project.cardIssuedAt) : '（尚未签发）'}</td></tr>
      </table>

      <h2>一、保修范围和保修期限</h2>
      <table>
        <tr><th>保修项目</th><th>保修期限</th><th>保修截止日期</th></tr>
        {ends.map((e) => (
          <tr>
            <td>{CATEGORY_LABELS[e.category]}</td>
            <td>{periodLabel(e.category, project)}</td>
            <td>{DateTime.fromISO(e.endsOn).toFormat('yyyy年M月d日')}</td>
          </tr>
        ))}
      </table>

      <h2>二、使用与维护须知</h2>
      <ol class="note">
        <li>请勿擅自改动房屋主体结构、承重墙和防水层，装修前请告知物业管理单位。</li>
        <li>卫生间、厨房等有防水要求的房间，请勿凿打地面和墙面；发现渗漏请及时报修。</li>
        <li>供暖、供冷设备请按说明书使用，采暖期前请配合试水试压。</li>
        <li>请勿超负荷用电，勿私拉乱接电线；给排水管道请勿倾倒杂物。</li>
        <li>保修期内出现质量问题，请向下列联系人提出保修意见，施工单位在接到通知后 24 小时内到达现场，15 日内修复；因使用不当或第三方造成的损坏不在保修范围内，可协助维修，收取材料费和人工费。</li>
      </ol>

      <h2>三、施工单位联系方式</h2>
      <table>
        <tr><th>单位名称</th><td>{c.name}</td><th>联系部门</th><td>{c.department}</td></tr>
        <tr><th>地址</th><td>{c.address}</td><th>联系人</th><td>{c.contact}</td></tr>
        <tr><th>联系电话</th><td colSpan={3}>{c.phone}</td></tr>
      </table>

      <h2>四、保修记录</h2>
      <table>
        <tr><th>报修日期</th><th>保修项目及部位</th><th>问题</th><th>原因鉴定</th><th>处理措施</th><th>完成日期</th><th>业主签认</th></tr>
        {repairs.map((r) => (
          <tr>
            <td>{day(r.reportedAt)}</td>
            <td>{CATEGORY_LABELS[r.category as WarrantyCategory] ?? r.category}：{r.location}</td>
            <td>{r.description}</td>
            <td>{r.cause ? CAUSE_LABELS[r.cause] : ''}</td>
            <td>{r.taskSheet?.measures ?? ''}</td>
            <td>{day(r.doneAt)}</td>
            <td>{r.signedOffAt ? `${r.status === RepairStatus.NotAccepted ? '不满意' : '已签认'} ${day(r.signedOffAt)}` : ''}</td>
          </tr>
        ))}
        {Array.from({ length: Math.max(0, 6 - repairs.length) }, () => (
          <tr class="blank"><td /><td /><td /><td /><td /><td /><td /></tr>
        ))}
      </table>
    </Document>,
  );
}
