import type { ComponentChildren, VNode } from 'preact';
import { DateTime } from 'luxon';
import { METHOD_LABELS } from '../../cards/components/labels';
import { Document, renderDocument } from '../http/html/document';
import { pagePolicy } from '../http/page-security';
import { CustomerCall } from './customer-calls';

const CSS = `*{box-sizing:border-box}body{margin:0;font:15px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f2329}
main{max-width:860px;margin:0 auto;padding:16px}h1{font-size:20px;margin:4px 0}h2{font-size:17px;margin:20px 0 8px}.meta{color:#646a73}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:8px;overflow:hidden}th,td{padding:7px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #eef0f3}
th{width:9em;background:#f8f9fb;color:#646a73;font-weight:600}section{background:#fff;border-radius:8px;padding:4px 0;margin:10px 0}section h3{font-size:16px;margin:8px 10px}
.yes{color:#1a7f37}.no{color:#b42318}ul{margin:0;padding-left:18px}`;

/** The customer page's Content-Security-Policy: its own CSS, no script. */
export const CUSTOMER_PAGE_POLICY = pagePolicy({ styles: [CSS] });

/** What the page shows: the customer (as `GET /api/offices/:officeId/customers/:id` answers) and their calls. */
export interface CustomerPageData {
  name: string;
  company: string | null;
  externalId: string | null;
  phone: string | null;
  email: string | null;
  wecomUserId: string | null;
  wecomExternalUserId: string | null;
  dingtalkUserId: string | null;
  region: string | null;
  category: string | null;
  inquiryDate: string | null;
  product: string | null;
  inquiry: string | null;
  calls: CustomerCall[];
  timeZone: string;
}

/**
 * One customer's page (客户档案, docs/rules.md §8, 4.5): who they are and every campaign call
 * with its record. The body is a component (`CustomerArchive`) so that a console section can
 * show it inside its own frame; `renderCustomerPage` makes it a whole page.
 */
export function renderCustomerPage(customer: CustomerPageData): string {
  return renderDocument(
    <Document title={`客户档案 · ${customer.name}`} css={CSS} head={<meta name="robots" content="noindex" />}>
      <main>
        <CustomerArchive customer={customer} />
      </main>
    </Document>,
  );
}

export function CustomerArchive({ customer }: { customer: CustomerPageData }): VNode {
  return (
    <article>
      <h1>{customer.name}</h1>
      <p class="meta">{[customer.company, customer.category, customer.region].filter(Boolean).join(' · ')}</p>
      <table>
        <Field label="客户编号">{customer.externalId}</Field>
        <Field label="电话">{customer.phone}</Field>
        <Field label="邮箱">{customer.email}</Field>
        <Field label="企业微信">{customer.wecomUserId}</Field>
        <Field label="微信客户">{customer.wecomExternalUserId}</Field>
        <Field label="钉钉">{customer.dingtalkUserId}</Field>
        <Field label="地区">{customer.region}</Field>
        <Field label="分类">{customer.category}</Field>
        <Field label="询盘日期">{customer.inquiryDate}</Field>
        <Field label="产品">{customer.product}</Field>
        <Field label="询盘内容">{customer.inquiry}</Field>
      </table>
      <h2>回访记录（{customer.calls.length}）</h2>
      {customer.calls.length === 0 ? <p class="meta">暂无回访记录</p> : customer.calls.map((call) => <Call call={call} zone={customer.timeZone} />)}
    </article>
  );
}

function Call({ call, zone }: { call: CustomerCall; zone: string }): VNode {
  const when = call.recordedAt ?? call.dueFrom;
  const date = DateTime.fromISO(when, { zone }).toFormat('yyyy-MM-dd HH:mm');
  return (
    <section>
      <h3>
        {date} {call.recordedAt ? '' : '（待回访）'}
      </h3>
      <table>
        <Field label="回访人">{call.callers.map((c) => c.name ?? c.staffId).join('、')}</Field>
        <Field label="方式">{call.method ? ((METHOD_LABELS as Record<string, string>)[call.method] ?? call.method) : null}</Field>
        <Field label="是否接通">{yesNo(call.reached)}</Field>
        <Field label="询盘有效">{yesNo(call.inquiryValid)}</Field>
        <Field label="问答">
          {call.answers.length === 0 ? null : (
            <ul>
              {call.answers.map((a) => (
                <li>
                  {a.question}：{a.answer}
                </li>
              ))}
            </ul>
          )}
        </Field>
        <Field label="客户需求">{call.needs}</Field>
        <Field label="售前评价">{call.opinions.presale}</Field>
        <Field label="售中评价">{call.opinions.sale}</Field>
        <Field label="售后评价">{call.opinions.aftersale}</Field>
        <Field label="投诉与疑问">{call.complaints}</Field>
        <Field label="后续跟进">{call.followUp}</Field>
      </table>
    </section>
  );
}

function Field({ label, children }: { label: string; children: ComponentChildren }): VNode {
  const empty = children === null || children === undefined || children === '';
  return (
    <tr>
      <th>{label}</th>
      <td>{empty ? '—' : children}</td>
    </tr>
  );
}

function yesNo(value: boolean | null): VNode | null {
  if (value === null) return null;
  return value ? <span class="yes">是</span> : <span class="no">否</span>;
}
