import { Document, renderDocument } from '../http/html/document';
import { pagePolicy } from '../http/page-security';
import { ANSWER_LEVELS, LEVEL_LABELS, SATISFACTION_LABELS } from '../rules/answer-levels';
import { SHORTCOMING_CODES, SHORTCOMING_LABELS } from '../rules/shortcomings';

/** The sidebar's own script, served as a file (no inline script). */
export const SIDEBAR_SCRIPT_PATH = '/assets/sidebar.js';

const SIDEBAR_CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f2329}
main{padding:12px}h1{font-size:18px;margin:0 0 8px}
.state{background:#fff;border-radius:10px;padding:12px;margin:0 0 10px;font-size:15px}
.state[data-kind=error]{background:#fff0f0;color:#b3261e;border:2px solid #f1a7a4;font-weight:600}
.visit{background:#fff;border-radius:10px;padding:10px 12px;margin:0 0 10px}
.visit h2{font-size:16px;margin:0 0 4px}.meta{color:#3b4350;font-size:14px;margin:0 0 6px}
.sent{color:#1a7f37;font-size:14px;margin:4px 0}.problem{color:#b3261e;font-size:14px;font-weight:600;margin:4px 0}
button{display:block;width:100%;font-size:16px;padding:10px;border:0;border-radius:8px;background:#3370ff;color:#fff;font-weight:600;margin:6px 0;min-height:44px}
button.plain{background:#eff0f1;color:#1f2329}
fieldset{border:0;padding:0;margin:8px 0}legend{font-weight:600;font-size:15px;margin-bottom:4px}
.choices{display:flex;flex-wrap:wrap;gap:6px}.choices label{display:flex;align-items:center;gap:4px;min-height:44px;padding:0 8px;border:1px solid #c9cdd4;border-radius:8px;font-size:14px}
textarea{width:100%;min-height:64px;font:inherit;font-size:15px;padding:8px;border:1px solid #c9cdd4;border-radius:8px}
`;

/** The sidebar page's policy: our CSS by hash, our script and WeCom's JS-SDK (its origin only), calls to our own API. */
export function sidebarPolicy(jssdkUrl: string): string {
  return pagePolicy({ styles: [SIDEBAR_CSS], scriptFiles: true, scriptOrigins: [new URL(jssdkUrl).origin], fetchesOwnApi: true });
}

/** The notices-only policy (no script): for the pages that end in a clear state on the server. */
export const SIDEBAR_NOTICE_POLICY = pagePolicy({ styles: [SIDEBAR_CSS] });

const levels = (name: string, labels: Readonly<Record<number, string>>) => (
  <div class="choices">
    {ANSWER_LEVELS.map((level) => (
      <label>
        <input type="radio" name={name} value={String(level)} required />
        {labels[level]}
      </label>
    ))}
  </div>
);

/**
 * The chat sidebar (聊天工具栏) page: opened by WeCom beside a chat, it knows the staff member
 * (the session from WeCom's OAuth), loads WeCom's JS-SDK and our script, which asks WeCom who
 * the customer is and lists their open visits. The record form is a template the script shows
 * under a visit; every answer it sends is validated again on the server.
 */
export function sidebarPage(input: { session: string; staffName: string; jssdkUrl: string }): string {
  return renderDocument(
    <Document title="回访" css={SIDEBAR_CSS} noindex>
      <main id="sidebar" data-session={input.session}>
        <h1>回访 · {input.staffName}</h1>
        <p class="state" id="state" role="status" data-kind="loading">
          正在连接企业微信…
        </p>
        <section id="visits" aria-label="未完成的回访"></section>
        <template id="record-form">
        <form>
          <fieldset>
            <legend>服务质量</legend>
            {levels('quality', LEVEL_LABELS)}
          </fieldset>
          <fieldset>
            <legend>服务效果</legend>
            {levels('effect', LEVEL_LABELS)}
          </fieldset>
          <fieldset>
            <legend>满意程度</legend>
            {levels('satisfaction', SATISFACTION_LABELS)}
          </fieldset>
          <fieldset>
            <legend>不足之处</legend>
            <div class="choices">
              {SHORTCOMING_CODES.map((code) => (
                <label>
                  <input type="checkbox" name="shortcomings" value={code} />
                  {SHORTCOMING_LABELS[code]}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>住户建议（可不填）</legend>
            <textarea name="suggestions" maxLength={2000}></textarea>
          </fieldset>
          <fieldset>
            <legend>备注（可不填）</legend>
            <textarea name="notes" maxLength={2000}></textarea>
          </fieldset>
          <button type="submit">保存电话回访记录</button>
          <button type="button" class="plain" data-action="cancel-record">
            取消
          </button>
        </form>
        </template>
      </main>
      <script src={input.jssdkUrl} />
      <script src={SIDEBAR_SCRIPT_PATH} />
    </Document>,
  );
}

/** A sidebar that ends on the server: who could not be identified, and what to do. */
export function sidebarNotice(input: { title: string; text: string; kind: string }): string {
  return renderDocument(
    <Document title="回访" css={SIDEBAR_CSS} noindex>
      <main>
        <h1>回访</h1>
        <div class="state" data-kind="error" data-notice={input.kind} role="alert">
          <strong>{input.title}</strong>
          <br />
          {input.text}
        </div>
      </main>
    </Document>,
  );
}
