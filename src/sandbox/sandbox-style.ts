/**
 * The sandbox page's CSS (inline in the page, our own constant, allowed by hash). The layout
 * holds from 1024 px wide (three columns) down to a phone (one column).
 */
export const SANDBOX_CSS = `
:root{--blue:#2468f2;--blue-weak:#e9f0fe;--text:#1f2329;--muted:#8a919f;--line:#e4e6eb;--bg:#f2f3f5;--green:#17a05d;--orange:#e8760b;--red:#e0382f}
*{box-sizing:border-box}html,body{height:100%}
body{margin:0;font:14px/1.5 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",sans-serif;color:var(--text);background:var(--bg)}
button{font:inherit}a{color:var(--blue);text-decoration:none}a:hover{text-decoration:underline}
.top{height:54px;display:flex;align-items:center;gap:12px;padding:0 20px;background:#fff;border-bottom:1px solid var(--line)}
.logo{width:30px;height:30px;border-radius:8px;background:var(--blue);color:#fff;display:grid;place-items:center;font-weight:700}
.brand{font-weight:600;font-size:16px}.tag{font-size:12px;color:var(--blue);background:var(--blue-weak);padding:2px 10px;border-radius:10px}
.top .note{margin-left:auto;color:var(--muted);font-size:12px}.top .note.lost{color:var(--red)}.top .note.lost::after{content:" · 连接中断：" attr(data-error)}
.layout{display:grid;grid-template-columns:240px minmax(440px,1fr) 420px;height:calc(100vh - 54px)}
.people{background:#f7f8fa;border-right:1px solid var(--line);overflow:auto;padding:6px 0 16px}
.office{padding:10px 16px 2px;font-weight:600;font-size:13px}
.group{padding:10px 16px 4px;color:var(--muted);font-size:12px}
.person{display:flex;align-items:center;gap:10px;width:100%;border:0;background:none;padding:7px 16px;text-align:left;cursor:pointer;color:inherit}
.person:hover{background:#eceef1}.person[aria-current=true]{background:#dfe8fc}
.avatar{width:34px;height:34px;border-radius:6px;display:grid;place-items:center;color:#fff;font-size:15px;flex:none}
.who{flex:1;min-width:0}.who .name{font-size:14px}.who .sub{font-size:12px;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.badge{min-width:18px;height:18px;padding:0 5px;border-radius:9px;background:#f54a45;color:#fff;font-size:11px;display:grid;place-items:center}
.chat{display:flex;flex-direction:column;min-width:0;min-height:0}
.chat-head{height:58px;display:flex;align-items:center;gap:10px;padding:0 20px;background:#fff;border-bottom:1px solid var(--line);flex:none}
.chat-head .name{font-weight:600;font-size:15px}.chat-head .sub{color:var(--muted);font-size:12px}
.messages{flex:1;overflow:auto;padding:8px 24px 24px}
.empty{color:var(--muted);text-align:center;margin-top:96px;line-height:1.9}
.time{text-align:center;color:var(--muted);font-size:12px;margin:16px 0 8px}
.system{text-align:center;margin:10px 0}.system span{display:inline-block;color:var(--muted);font-size:12px;background:#e6e8eb;border-radius:4px;padding:2px 8px}
.system.err span{color:var(--red);background:#fdeceb}
.msg{display:flex;gap:10px;align-items:flex-start;margin:6px 0}
.app{width:34px;height:34px;border-radius:6px;background:var(--blue);color:#fff;display:grid;place-items:center;font-size:11px;flex:none}
.from{font-size:12px;color:var(--muted);margin-bottom:3px}
.bubble{background:#fff;border-radius:8px;padding:9px 12px;max-width:460px;white-space:pre-wrap;word-break:break-word}
.bubble .mdh{font-size:15px}.f-info{color:var(--green)}.f-warning{color:var(--orange)}.f-comment{color:var(--muted)}.quote{color:var(--muted)}
.card{background:#fff;border-radius:8px;width:380px;max-width:100%;padding:16px 16px 14px;border:1px solid #e8eaed}
.card.answered{background:#fcfcfd}
.src{display:flex;align-items:center;gap:6px;color:var(--muted);font-size:12px;margin-bottom:10px}
.src i{width:16px;height:16px;border-radius:4px;background:var(--blue);color:#fff;font-size:10px;font-style:normal;display:grid;place-items:center}
.src.warn{color:var(--red)}.src.warn i{background:var(--red)}
.card h3{margin:0;font-size:16px;font-weight:600;line-height:1.45}
.card .desc{color:var(--muted);font-size:13px;margin-top:3px}
.card .subtext{color:#4e5969;font-size:13px;margin-top:10px;white-space:pre-wrap}
.rows{margin-top:10px}.row{display:flex;gap:12px;font-size:13px;margin:5px 0}
.row .k{color:var(--muted);width:72px;flex:none}.row .v{flex:1;word-break:break-all}
.q{display:block;margin-top:12px}.q-title{display:block;font-size:13px;color:#4e5969;margin-bottom:5px}
.select{position:relative;display:block}
.select select{appearance:none;-webkit-appearance:none;width:100%;font:inherit;padding:8px 32px 8px 12px;border:1px solid var(--line);border-radius:6px;background:#fff;color:var(--text);cursor:pointer}
.select select:disabled{background:#f7f8fa;color:#4e5969;cursor:default;opacity:1}
.select::after{content:"";position:absolute;right:13px;top:50%;width:6px;height:6px;border-right:1.5px solid var(--muted);border-bottom:1.5px solid var(--muted);transform:translateY(-70%) rotate(45deg);pointer-events:none}
.vote{margin-top:10px;border:1px solid var(--line);border-radius:6px;overflow:hidden}
.opt{display:flex;align-items:center;gap:10px;padding:8px 12px;border-top:1px solid var(--line);cursor:pointer}
.opt:first-child{border-top:0}.opt input{width:16px;height:16px;margin:0;accent-color:var(--blue)}
.buttons{display:flex;gap:8px;margin-top:14px;flex-wrap:wrap}
.btn{flex:1 1 0;min-width:64px;border-radius:6px;padding:7px 10px;cursor:pointer;border:1px solid #d5d8de;background:#fff;color:var(--text)}
.btn.s1{background:var(--blue);border-color:var(--blue);color:#fff}.btn.s3{color:var(--red);border-color:#f3c3c0}.btn.s4{background:#1f2329;border-color:#1f2329;color:#fff}
.btn:hover{filter:brightness(.97)}.btn:disabled{cursor:progress;opacity:.55}
.btn.link::after{content:" \\2197";font-size:11px}
.done{margin-top:14px;text-align:center;padding:7px;border-radius:6px;background:#f2f3f5;color:var(--muted)}
.foot{border-top:1px solid #eef0f2;margin:14px -16px -14px;padding:9px 16px;display:flex;justify-content:space-between;font-size:13px}
.reply{display:flex;gap:8px;padding:10px 20px;background:#fff;border-top:1px solid var(--line);flex:none}
.reply input{flex:1;font:inherit;padding:8px 12px;border:1px solid var(--line);border-radius:6px}
.side{background:#fff;border-left:1px solid var(--line);overflow:auto;padding:14px 16px}
.panel{border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin-bottom:12px}
.panel h2{font-size:14px;margin:0 0 10px;display:flex;align-items:center;gap:8px}
.step{width:20px;height:20px;border-radius:50%;background:var(--blue);color:#fff;font-size:12px;display:grid;place-items:center;flex:none}
.hint{color:var(--muted);font-size:12px;margin:-4px 0 10px}
.form{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.form label{display:flex;flex-direction:column;gap:3px;font-size:12px;color:var(--muted)}.form .wide{grid-column:1/-1}
.form input,.form select{font:inherit;font-size:13px;color:var(--text);padding:6px 9px;border:1px solid var(--line);border-radius:6px;background:#fff}
.actions{display:flex;align-items:center;gap:10px;margin-top:10px;flex-wrap:wrap}
.primary{background:var(--blue);color:#fff;border:0;border-radius:6px;padding:7px 14px;font-weight:600;cursor:pointer}
.primary:disabled{opacity:.6;cursor:progress}.ghost{background:var(--blue-weak);color:var(--blue);border:0;border-radius:6px;padding:6px 12px;cursor:pointer}
.result{font-size:12px;color:var(--muted)}.result.ok{color:var(--green)}.result.err{color:var(--red)}
.visits table{width:100%;border-collapse:collapse;font-size:13px}
.visits tr.v{cursor:pointer}.visits tr.v:hover td{background:#f7f8fa}.visits tr.fresh td{background:#eef6ff}
.visits td{padding:7px 4px;border-top:1px solid #f0f1f3;vertical-align:top}
.visits td.id{color:var(--muted);width:38px}.visits .t{font-weight:500}.visits .m{color:var(--muted);font-size:12px}
.st{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;white-space:nowrap;background:#eef0f3;color:#4e5969}
.st small{opacity:.7;margin-left:4px;font-size:11px}
.st-due,.st-in_progress{background:#e9f0fe;color:var(--blue)}.st-recorded,.st-reviewed,.st-closed,.st-handled{background:#e6f6ee;color:var(--green)}
.st-overdue,.st-unassigned{background:#fdf1e6;color:var(--orange)}.st-unqualified,.st-escalated{background:#fdeceb;color:var(--red)}
.st-cancelled{text-decoration:line-through}
.detail td{background:#fafbfc;font-size:12px;color:#4e5969}.detail ul{margin:4px 0 0;padding-left:16px}
.office-note{padding:0 16px 4px;font-size:12px;color:var(--orange)}.office-note.on{color:var(--muted)}
.visits td.links{white-space:nowrap;text-align:right}
.copy{background:var(--blue-weak);color:var(--blue);border:0;border-radius:6px;padding:3px 8px;font-size:12px;cursor:pointer;margin-top:4px}
.copy.ok{background:#e6f6ee;color:var(--green)}
@media (max-width:1279px){.layout{grid-template-columns:200px minmax(0,1fr) 360px}.card{width:100%;max-width:380px}.messages{padding:8px 14px 20px}}
@media (max-width:1023px){.layout{grid-template-columns:180px minmax(0,1fr)}.side{grid-column:1/-1;border-left:0;border-top:1px solid var(--line)}
 .layout{height:auto}.chat{height:calc(100vh - 54px)}.people{max-height:calc(100vh - 54px)}}
@media (max-width:699px){.top{height:auto;flex-wrap:wrap;padding:8px 12px;gap:6px 10px}.top .note{margin-left:0;width:100%}
 .layout{display:block}.people{max-height:220px;border-right:0;border-bottom:1px solid var(--line)}.chat{height:80vh}
 .side{padding:12px}.form{grid-template-columns:1fr}.reply{padding:8px 12px}.bubble{max-width:100%}}
`;
