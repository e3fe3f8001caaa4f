import { LEVEL_LABELS, SATISFACTION_LABELS } from '../rules/answer-levels';
import { SHORTCOMING_CODES, SHORTCOMING_LABELS } from '../rules/shortcomings';
import { escapeHtml } from '../http/html-escape';
import { pagePolicy } from '../http/page-security';

/**
 * The resident's survey page (CONTRACT.md `GET /s/:token`): one self-contained mobile page —
 * inline CSS, no script, no CDN — so it opens in WeChat's and DingTalk's in-app browsers and
 * offline. Large tap targets are radio buttons and checkboxes styled as buttons.
 */
export interface SurveyPageVisit {
  title: string;
  kindLabel: string;
  completedOn: string;
  /** A record made by staff, shown for confirmation instead of the questions. */
  record?: { methodLabel: string; answers: { label: string; value: string }[] };
}


const STYLE = `
*{box-sizing:border-box}body{margin:0;font:17px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f2329}
main{max-width:560px;margin:0 auto;padding:16px}
h1{font-size:21px;margin:8px 0 4px}.meta{color:#646a73;font-size:14px;margin-bottom:12px}
fieldset{border:0;background:#fff;border-radius:12px;margin:0 0 12px;padding:12px 12px 6px}
legend{font-weight:600;padding:0;margin-bottom:8px;float:left;width:100%}
.choices{display:flex;flex-wrap:wrap;gap:8px;clear:both}
.choices label{flex:1 1 30%;min-width:88px}
.choices input{position:absolute;opacity:0;width:1px;height:1px}
.choices span{display:block;text-align:center;padding:14px 6px;border:2px solid #dee0e3;border-radius:10px;background:#fff;min-height:52px}
.choices input:checked+span{border-color:#3370ff;background:#e1eaff;color:#1d4ed8;font-weight:600}
.choices input:focus-visible+span{outline:3px solid #93b4ff}
textarea{width:100%;min-height:88px;font:inherit;padding:10px;border:2px solid #dee0e3;border-radius:10px;clear:both;display:block}
button{width:100%;font-size:20px;padding:16px;border:0;border-radius:12px;background:#3370ff;color:#fff;font-weight:600;margin:4px 0 24px}
.error{background:#fff0f0;color:#c0262d;border-radius:10px;padding:10px 12px;margin-bottom:12px}
.notice{background:#fff;border-radius:12px;padding:28px 16px;text-align:center;margin-top:32px}
.notice .big{font-size:44px;line-height:1}
dl{background:#fff;border-radius:12px;padding:12px;margin:0 0 12px}dt{color:#646a73;font-size:14px}dd{margin:0 0 8px;font-weight:600}
`;

/** The Content-Security-Policy of every page here: its own CSS, no script. */
export const SURVEY_PAGE_POLICY = pagePolicy({ styles: [STYLE] });

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function levelQuestion(name: string, title: string, labels: Record<number, string>, chosen?: string): string {
  const options = [5, 4, 3, 2, 1]
    .map((n) => `<label><input type="radio" name="${name}" value="${n}"${chosen === String(n) ? ' checked' : ''} required><span>${escapeHtml(labels[n])}</span></label>`)
    .join('');
  return `<fieldset><legend>${escapeHtml(title)}</legend><div class="choices">${options}</div></fieldset>`;
}

/** The questions of domain.md §3 with 确认 as the submit: the resident's confirmation. */
export function surveyFormPage(visit: SurveyPageVisit, action: string, previous: Record<string, string | string[]> = {}, error?: string): string {
  const chosen = (name: string) => (typeof previous[name] === 'string' ? (previous[name] as string) : undefined);
  const shortcomings = new Set([previous.shortcomings ?? []].flat());
  const shortcomingOptions = SHORTCOMING_CODES.map(
    (code) => `<label><input type="checkbox" name="shortcomings" value="${code}"${shortcomings.has(code) ? ' checked' : ''}><span>${escapeHtml(SHORTCOMING_LABELS[code])}</span></label>`,
  ).join('');
  return page(
    '服务回访',
    `<h1>请评价本次服务</h1><div class="meta">${escapeHtml(visit.kindLabel)} · ${escapeHtml(visit.title)} · ${escapeHtml(visit.completedOn)}</div>
${error ? `<div class="error" role="alert">${escapeHtml(error)}</div>` : ''}
<form method="post" action="${escapeHtml(action)}">
${levelQuestion('quality', '质量评价', LEVEL_LABELS, chosen('quality'))}
${levelQuestion('effect', '服务效果评价', LEVEL_LABELS, chosen('effect'))}
${levelQuestion('satisfaction', '满意程度评价', SATISFACTION_LABELS, chosen('satisfaction'))}
<fieldset><legend>问题是否已解决</legend><div class="choices"><label><input type="radio" name="solved" value="yes"${chosen('solved') === 'yes' ? ' checked' : ''}><span>已解决</span></label><label><input type="radio" name="solved" value="no"${chosen('solved') === 'no' ? ' checked' : ''}><span>未解决</span></label></div></fieldset>
<fieldset><legend>缺点与不足（可多选）</legend><div class="choices">${shortcomingOptions}</div></fieldset>
<fieldset><legend>建议（选填）</legend><textarea name="suggestions" maxlength="2000">${escapeHtml(chosen('suggestions') ?? '')}</textarea></fieldset>
<button type="submit">确认</button>
</form>`,
  );
}

/** A staff record shown to the resident, confirmed with one tap. */
export function confirmRecordPage(visit: SurveyPageVisit, action: string): string {
  const rows = (visit.record?.answers ?? []).map((a) => `<dt>${escapeHtml(a.label)}</dt><dd>${escapeHtml(a.value)}</dd>`).join('');
  return page(
    '确认回访记录',
    `<h1>请确认回访记录</h1><div class="meta">${escapeHtml(visit.kindLabel)} · ${escapeHtml(visit.title)} · ${escapeHtml(visit.record?.methodLabel ?? '')}</div>
<dl>${rows}</dl>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="confirm" value="yes"><button type="submit">确认</button></form>`,
  );
}

/** After the manager's handling: is the problem solved now? (one question, two large buttons) */
export function resolutionPage(visit: SurveyPageVisit, handling: string, action: string): string {
  return page(
    '问题是否已解决',
    `<h1>您反映的问题解决了吗？</h1><div class="meta">${escapeHtml(visit.kindLabel)} · ${escapeHtml(visit.title)}</div>
<dl><dt>处理意见</dt><dd>${escapeHtml(handling)}</dd></dl>
<form method="post" action="${escapeHtml(action)}"><fieldset><legend>问题现在是否已经解决</legend><div class="choices"><label><input type="radio" name="resolved" value="yes" required><span>已解决</span></label><label><input type="radio" name="resolved" value="no"><span>仍未解决</span></label></div></fieldset><button type="submit">提交</button></form>`,
  );
}

export type NoticeKind = 'thanks' | 'answered' | 'expired' | 'invalid' | 'cancelled' | 'too_large';

const NOTICES: Record<NoticeKind, { icon: string; title: string; text: string }> = {
  thanks: { icon: '✓', title: '感谢您的评价', text: '您的评价与确认已记录。我们会继续改进服务。' },
  answered: { icon: '✓', title: '您已完成评价', text: '这份回访已经记录，无需再次填写。感谢您的支持。' },
  expired: { icon: '⌛', title: '链接已过期', text: '回访链接的有效期为 7 天。如需评价，请联系物业客户中心。' },
  invalid: { icon: '✕', title: '链接无效', text: '无法识别这个链接，请确认链接完整，或联系物业客户中心。' },
  cancelled: { icon: '–', title: '回访已取消', text: '这项服务的回访已取消，无需评价。' },
  too_large: { icon: '✕', title: '提交的内容过长', text: '请缩短填写的建议后返回重新提交。' },
};

export function noticePage(kind: NoticeKind): string {
  const n = NOTICES[kind];
  return page(n.title, `<div class="notice" data-notice="${kind}"><div class="big">${n.icon}</div><h1>${escapeHtml(n.title)}</h1><p>${escapeHtml(n.text)}</p></div>`);
}
