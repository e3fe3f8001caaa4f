import { pagePolicy } from '../http/page-security';

/*
 * The staff form's CSS: self-contained mobile pages like the resident's survey page — inline
 * CSS, no script, no CDN, plain form posts — so they open in WeCom's and DingTalk's in-app
 * browsers. Choices are radio buttons and checkboxes styled as large tap targets. Layout uses
 * margins rather than flex `gap`, which older in-app WebViews lack.
 */
export const STAFF_FORM_CSS = `
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font:17px/1.55 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f4f5f7;color:#1f2329;word-break:break-word}
main{max-width:560px;margin:0 auto;padding:16px 14px 32px}
h1{font-size:21px;line-height:1.35;margin:6px 0 4px}h2{font-size:17px;margin:0 0 8px}
.meta{color:#646a73;font-size:15px;margin-bottom:10px}
.status{display:inline-block;font-size:14px;font-weight:600;padding:3px 10px;border-radius:999px;background:#e1eaff;color:#1d4ed8;margin:0 6px 6px 0}
.status.late{background:#fff3e0;color:#b45309}.status.bad{background:#fff0f0;color:#c0262d}.status.done{background:#e8f7ee;color:#1a7f43}
section,fieldset,.box{background:#fff;border-radius:12px;margin:0 0 12px;padding:12px}
fieldset{border:2px solid transparent;padding:12px 12px 8px;min-width:0}
fieldset.invalid{border-color:#e5484d}
legend{font-weight:600;padding:0;margin-bottom:8px;float:left;width:100%}
.hint{color:#646a73;font-weight:400;font-size:14px}
.field-error{clear:both;color:#c0262d;font-size:15px;margin:0 0 6px;font-weight:600}
.choices{display:flex;flex-wrap:wrap;margin:-4px;clear:both}
.choices label{position:relative;flex:1 1 28%;min-width:88px;margin:4px}
.choices.two label{flex-basis:40%}
.choices input{position:absolute;top:0;left:0;opacity:0;width:1px;height:1px}
.choices span{display:flex;align-items:center;justify-content:center;text-align:center;padding:10px 6px;border:2px solid #dee0e3;border-radius:10px;background:#fff;min-height:52px;font-size:17px}
.choices input:checked+span{border-color:#3370ff;background:#e1eaff;color:#1d4ed8;font-weight:600}
.choices input:focus-visible+span{outline:3px solid #93b4ff}
.choices.verdict span{min-height:60px;font-size:19px}
.choices.verdict input[value=unqualified]:checked+span{border-color:#e5484d;background:#fff0f0;color:#c0262d}
textarea,input[type=text]{width:100%;font:inherit;font-size:17px;padding:10px;border:2px solid #dee0e3;border-radius:10px;display:block;clear:both;background:#fff;color:inherit}
textarea{min-height:96px}input[type=text]{margin-top:10px;min-height:48px}
textarea:focus,input[type=text]:focus{border-color:#3370ff;outline:0}
button,.button{display:block;width:100%;font-size:19px;line-height:1.3;padding:16px;border:0;border-radius:12px;background:#3370ff;color:#fff;font-weight:600;text-align:center;text-decoration:none;margin:4px 0 8px}
.button.secondary{background:#fff;color:#1d4ed8;border:2px solid #c9d7ff}
.after{color:#646a73;font-size:14px;text-align:center;margin:0 0 20px}
.error{background:#fff0f0;color:#c0262d;border-radius:10px;padding:10px 12px;margin-bottom:12px;font-weight:600}
.warn{background:#fff3e0;color:#8a4b00;border-radius:10px;padding:10px 12px;margin:0 0 12px}
.call{display:flex;align-items:center;justify-content:space-between}
.call .who{font-weight:600}.call .phone{color:#646a73;font-size:15px}
.call a{flex:0 0 auto;margin-left:12px;padding:12px 16px;border-radius:10px;background:#1a7f43;color:#fff;font-weight:600;text-decoration:none;min-height:48px}
dl{margin:0}dl .row{display:flex;align-items:baseline;padding:4px 0}
dt{flex:0 0 7.5em;margin-right:8px;color:#646a73;font-size:15px}dd{flex:1 1 auto;min-width:0;margin:0;font-weight:600;white-space:pre-wrap}
ol.history{list-style:none;margin:0;padding:0}
ol.history li{padding:8px 0;border-top:1px solid #eff0f1}ol.history li:first-child{border-top:0}
ol.history .when{color:#646a73;font-size:14px;display:block}
details summary{font-weight:600;min-height:44px;padding:10px 0;cursor:pointer}
.notice{background:#fff;border-radius:12px;padding:28px 16px 16px;text-align:center;margin-top:32px}
.notice .big{width:60px;height:60px;margin:0 auto 8px;border-radius:50%;font:700 34px/60px Arial,sans-serif;color:#fff;background:#3370ff}
.notice .big.ok{background:#1a7f43}.notice .big.stop{background:#c0262d}.notice .big.wait{background:#d97706}.notice .big.none{background:#8f959e}
.notice p{margin:8px 0 20px}
`;

/** The Content-Security-Policy of every staff form page: its own CSS, no script. */
export const STAFF_FORM_PAGE_POLICY = pagePolicy({ styles: [STAFF_FORM_CSS] });
