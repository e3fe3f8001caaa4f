import type { VNode } from 'preact';
import { Document, renderDocument } from '../http/html/document';
import { pagePolicy } from '../http/page-security';
import { SANDBOX_CSS } from './sandbox-style';

/**
 * The sandbox page (`GET /sandbox`): one document with inline CSS and one small script served
 * beside it (`SANDBOX_SCRIPT_PATH`, so the page has no inline script and a CSP can forbid it) —
 * no framework, no CDN, no external URL — so it works offline. Left: the people of the office;
 * middle: the chosen person's WeCom chat, cards drawn by the script the way WeCom draws a
 * `template_card` (source, title, rows, selects, check boxes, buttons); right: the work-order
 * form, "run the due jobs now" and the live list of visits. The script finds its places by id
 * (`people`, `messages`, `wo-form`, `visits`…) and polls `/sandbox/api/*`.
 */
export function sandboxPage(options: { defaultResidentId?: string } = {}): string {
  return renderDocument(
    <Document title="Huifang 回访 · 聊天沙盒" css={SANDBOX_CSS} noindex head={<link rel="icon" href="data:," />}>
      <header class="top">
        <span class="logo">回</span>
        <span class="brand">Huifang 回访</span>
        <span class="tag">聊天沙盒 · 企业微信模拟</span>
        <span class="note" id="conn">
          没有配置企业微信/钉钉：消息发到本进程内的模拟企业微信，点卡片按钮发出真实的加密回调
        </span>
      </header>
      <div class="layout">
        <nav class="people" id="people" aria-label="通讯录" />
        <main class="chat">
          <div class="chat-head" id="chat-head" />
          <div class="messages" id="messages" aria-live="polite" />
          <form class="reply" id="reply">
            <input id="reply-text" maxLength={2000} autocomplete="off" aria-label="回复文字" placeholder="选择一个人后，可以以他的身份回复文字" />
            <button class="primary" id="reply-send" type="submit" disabled>
              发送
            </button>
          </form>
        </main>
        <aside class="side">
          <WorkOrderPanel defaultResidentId={options.defaultResidentId ?? ''} />
          <Panel step="2" title="运行到期任务" hint="不必等定时任务：开启回访窗口、提醒员工、给住户发评价卡片、标记逾期，然后立即发出。">
            <div class="actions">
              <button class="primary" id="run-jobs" type="button">
                运行到期任务
              </button>
              <span class="result" id="jobs-result" role="status" />
            </div>
          </Panel>
          <Panel step="3" title="在住户的聊天里作答" hint="三项评价都选好点提交（留着「请选择」不算作答）→ 勾选不足点提交 → 选是否解决点确认，回访即「已记录」。主管随后收到审核卡片。">
            <div class="actions">
              <button class="ghost" id="open-chat" type="button" hidden />
            </div>
          </Panel>
          <section class="panel visits">
            <h2>
              回访 <span class="result" id="visit-count" />
            </h2>
            <table>
              <tbody id="visits" />
            </table>
          </section>
        </aside>
      </div>
      <script src={SANDBOX_SCRIPT_PATH} defer />
    </Document>,
  );
}

function Panel({ step, title, hint, children }: { step: string; title: string; hint: string; children: VNode }): VNode {
  return (
    <section class="panel">
      <h2>
        <span class="step">{step}</span>
        {title}
      </h2>
      <p class="hint">{hint}</p>
      {children}
    </section>
  );
}

const KIND_OPTIONS: [string, string][] = [
  ['complaint', '投诉'],
  ['repair', '维修'],
  ['repair_works', '维修工程'],
  ['special_service', '特约服务（合同）'],
  ['help', '求助'],
  ['emergency', '急救'],
  ['activity', '活动'],
  ['other', '其他'],
];

/** Step 1: a work-order event as the work-order system sends it, signed by the server. */
function WorkOrderPanel({ defaultResidentId }: { defaultResidentId: string }): VNode {
  return (
    <Panel step="1" title="发送工单" hint="像工单系统那样：服务完成后，向 /webhooks/work-orders 发送签名的事件。">
      <form id="wo-form" class="form">
        <label>
          类型
          <select id="wo-kind">
            {KIND_OPTIONS.map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </label>
        <label>
          投诉级别
          <select id="wo-severity">
            <option value="general">一般投诉</option>
            <option value="major">重大投诉</option>
          </select>
        </label>
        <label class="wide">
          标题
          <input id="wo-title" value="电梯异响" maxLength={200} required />
        </label>
        <label>
          住户
          <select id="wo-resident" data-default-resident={defaultResidentId} />
        </label>
        <label>
          房号
          <input id="wo-unit" maxLength={64} />
        </label>
        <div class="wide actions">
          <button class="primary" id="wo-send" type="submit">
            发送工单
          </button>
          <span class="result" id="wo-result" role="status" />
        </div>
      </form>
    </Panel>
  );
}

/** Where the page's script is served (sandbox.routes.ts). */
export const SANDBOX_SCRIPT_PATH = '/sandbox/sandbox.js';

/** The page's Content-Security-Policy: its own CSS by hash, its script as a file, calls to our own API. */
export const SANDBOX_PAGE_POLICY = pagePolicy({ styles: [SANDBOX_CSS], scriptFiles: true, fetchesOwnApi: true });
