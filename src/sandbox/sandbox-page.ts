import { pagePolicy } from '../http/page-security';

/**
 * The sandbox page (`GET /sandbox`): one self-contained HTML document — inline CSS and a small
 * inline script, no framework, no CDN, no external URL — so it works offline. Left: the people
 * of the office; middle: the chosen person's WeCom chat, cards drawn the way WeCom draws a
 * `template_card` (source, title, rows, selects, check boxes, buttons); right: the work-order
 * form, "run the due jobs now" and the live list of visits. It polls `/sandbox/api/*`.
 *
 * The script is plain ES2017 in a string: it must contain no backtick and no dollar-brace.
 */
export function sandboxPage(options: { defaultResidentId?: string } = {}): string {
  return PAGE.replace('data-default-resident=""', `data-default-resident="${escapeAttribute(options.defaultResidentId ?? '')}"`);
}

const escapeAttribute = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
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
`;

const SCRIPT = String.raw`
(function () {
  'use strict';
  var STATUS = { planned: '待开始', due: '待回访', in_progress: '回访中', recorded: '已记录', reviewed: '已审核', closed: '已关闭',
    overdue: '已逾期', unqualified: '不合格', escalated: '已上报', handled: '已处理', cancelled: '已取消', unassigned: '待分配' };
  var ROLES = { supervisor: '客户中心主管', manager: '管理处经理', dept_head: '部门主管', specialist: '客户专员' };
  var KINDS = { complaint: '投诉', repair: '维修', repair_works: '维修工程', special_service: '特约服务', help: '求助', emergency: '急救', activity: '活动', other: '其他' };
  var PURPOSES = { mid_contract: '（合同期中）', after_contract: '（合同期满）' };
  var PALETTE = ['#3b7bf6', '#16a37b', '#f08c2e', '#8b5cf6', '#e0497a', '#0ea5b7', '#64748b', '#d9a406'];
  var state = { people: [], offices: [], zone: 'Asia/Shanghai', user: decodeURIComponent(location.hash.slice(1)),
    peopleJson: '', chatJson: '', visitsJson: '', choices: {}, seen: readSeen(), busy: false, openVisit: 0, fresh: {} };
  var $ = function (id) { return document.getElementById(id); };

  // What each person's chat held when last looked at, so the badges count only new messages.
  function readSeen() {
    try { return JSON.parse(sessionStorage.getItem('hf-sandbox-seen') || '{}'); } catch (e) { return {}; }
  }
  function markSeen(userId, count) {
    state.seen[userId] = count;
    try { sessionStorage.setItem('hf-sandbox-seen', JSON.stringify(state.seen)); } catch (e) { /* private mode */ }
  }

  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') el.textContent = v;
      else if (k === 'html') el.innerHTML = v;
      // Through the CSSOM: the page's CSP refuses style attributes, not styles set by its script.
      else if (k === 'style') el.style.cssText = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    });
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function append(el) {
    for (var i = 1; i < arguments.length; i++) add(el, arguments[i]);
  }
  function add(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { add(el, c); }); return; }
    el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function api(method, path, body) {
    var init = { method: method, headers: {} };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error((data && data.error && data.error.message) || ('HTTP ' + res.status));
        return data;
      });
    });
  }
  function fmt(iso, withDay) {
    var opts = { timeZone: state.zone, hour: '2-digit', minute: '2-digit', hour12: false };
    if (withDay !== false) { opts.month = 'numeric'; opts.day = 'numeric'; }
    return new Intl.DateTimeFormat('zh-CN', opts).format(new Date(iso));
  }
  function day(iso) {
    return new Intl.DateTimeFormat('zh-CN', { timeZone: state.zone, month: 'numeric', day: 'numeric' }).format(new Date(iso));
  }
  function colour(id) {
    var n = 0;
    for (var i = 0; i < id.length; i++) n = (n * 31 + id.charCodeAt(i)) >>> 0;
    return PALETTE[n % PALETTE.length];
  }
  function avatar(person) {
    return h('span', { class: 'avatar', style: 'background:' + colour(person.userId), 'aria-hidden': 'true' }, person.name.slice(0, 1));
  }
  function personSub(p) {
    if (p.kind === 'staff') return (p.roles || []).map(function (r) { return ROLES[r] || r; }).join('、');
    return '住户' + (p.unitId ? ' · ' + p.unitId : '');
  }
  function person(userId) {
    for (var i = 0; i < state.people.length; i++) if (state.people[i].userId === userId) return state.people[i];
    return null;
  }
  function staffName(id) {
    for (var i = 0; i < state.people.length; i++) if (state.people[i].kind === 'staff' && state.people[i].id === id) return state.people[i].name;
    return id;
  }

  // ---- people -------------------------------------------------------------------------
  function renderPeople() {
    var list = $('people');
    list.textContent = '';
    state.offices.forEach(function (office) {
      var mine = state.people.filter(function (p) { return p.officeId === office.id; });
      if (mine.length === 0) return;
      append(list, h('div', { class: 'office' }, office.name));
      [['staff', '员工'], ['resident', '住户']].forEach(function (g) {
        var group = mine.filter(function (p) { return p.kind === g[0]; });
        if (group.length === 0) return;
        append(list, h('div', { class: 'group' }, g[1] + ' ' + group.length));
        group.forEach(function (p) {
          var unseen = p.messages - (state.seen[p.userId] || 0);
          append(list, h('button', { class: 'person', type: 'button', 'data-user': p.userId, 'aria-current': p.userId === state.user ? 'true' : 'false',
            onclick: function () { choose(p.userId); } },
            avatar(p),
            h('span', { class: 'who' }, h('div', { class: 'name' }, p.name), h('div', { class: 'sub' }, personSub(p))),
            unseen > 0 && p.userId !== state.user ? h('span', { class: 'badge', 'aria-label': unseen + ' 条新消息' }, String(unseen)) : null));
        });
      });
    });
  }
  function choose(userId) {
    state.user = userId;
    state.chatJson = '';
    history.replaceState(null, '', '#' + encodeURIComponent(userId));
    renderPeople();
    refreshChat(true);
  }

  // ---- chat ---------------------------------------------------------------------------
  function renderChatHead() {
    var head = $('chat-head');
    head.textContent = '';
    var p = person(state.user);
    if (!p) { append(head, h('span', { class: 'sub' }, '企业微信 · 选择左侧的人，查看他收到的消息和卡片')); return; }
    append(head, avatar(p), h('div', null, h('div', { class: 'name' }, p.name), h('div', { class: 'sub' }, personSub(p) + ' · 企业微信 userid ' + p.userId)));
    $('reply-text').placeholder = '以 ' + p.name + ' 的身份回复文字（住户的建议、主管的意见）';
  }
  function renderChat(chat, forceBottom) {
    var box = $('messages');
    var atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 40;
    box.textContent = '';
    renderChatHead();
    $('reply-send').disabled = !state.user;
    if (!chat) {
      append(box, h('div', { class: 'empty' }, '这里是企业微信里「回访助手」应用的会话。', h('br'), '从左边选一个人：员工收到提醒和审核卡片，住户收到评价卡片。'));
      return;
    }
    if (chat.messages.length === 0) append(box, h('div', { class: 'empty' }, '还没有消息。发送工单并运行到期任务后，卡片会出现在这里。'));
    var last = 0;
    chat.messages.forEach(function (m) {
      var t = Date.parse(m.at);
      if (t - last > 5 * 60000) append(box, h('div', { class: 'time' }, fmt(m.at)));
      last = t;
      append(box, h('div', { class: 'msg', 'data-msg': m.id },
        h('span', { class: 'app', 'aria-hidden': 'true' }, '回访'),
        h('div', null, h('div', { class: 'from' }, '回访助手'), m.card ? card(m) : bubble(m))));
    });
    if (chat.pending.length > 0) {
      append(box, h('div', { class: 'system' }, h('span', null, chat.pending.length + ' 条消息排队中，最早 ' + fmt(chat.pending[0].at) + ' 发出（免打扰时段、限频或整点/半点错峰）')));
    }
    if (chat.failed > 0) append(box, h('div', { class: 'system err' }, h('span', null, chat.failed + ' 条消息发送失败，主管已收到通知')));
    markSeen(state.user, chat.messages.length);
    if (forceBottom || atBottom) box.scrollTop = box.scrollHeight;
  }
  function bubble(m) {
    var html = esc(m.text || '');
    if (m.msgtype === 'markdown') {
      html = html.replace(/^#{1,6} (.*)$/gm, '<b class="mdh">$1</b>')
        .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
        .replace(/&lt;font color=&quot;(info|comment|warning)&quot;&gt;([\s\S]*?)&lt;\/font&gt;/g, '<span class="f-$1">$2</span>')
        .replace(/^&gt; ?(.*)$/gm, '<span class="quote">$1</span>')
        .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
    } else {
      html = html.replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1" target="_blank" rel="noopener">$1</a>');
    }
    return h('div', { class: 'bubble', html: html });
  }
  function defaultChoices(c) {
    var chosen = {};
    (c.select_list || []).forEach(function (s) { chosen[s.question_key] = [s.selected_id || (s.option_list[0] || {}).id]; });
    if (c.button_selection) chosen[c.button_selection.question_key] = [c.button_selection.selected_id || (c.button_selection.option_list[0] || {}).id];
    if (c.checkbox) chosen[c.checkbox.question_key] = c.checkbox.option_list.filter(function (o) { return o.is_checked; }).map(function (o) { return o.id; });
    return chosen;
  }
  function selectBox(m, s, chosen, locked) {
    var sel = h('select', { 'aria-label': s.title || s.question_key, disabled: locked, 'data-question': s.question_key,
      onchange: function (e) { chosen[s.question_key] = [e.target.value]; } },
      s.option_list.map(function (o) { return h('option', { value: o.id }, o.text); }));
    sel.value = (chosen[s.question_key] || [])[0] || '';
    return h('label', { class: 'q' }, s.title ? h('span', { class: 'q-title' }, s.title) : null, h('span', { class: 'select' }, sel));
  }
  function card(m) {
    var c = m.card;
    var locked = !m.tappable;
    var key = m.taskId || m.id;
    var chosen = state.choices[key] || (state.choices[key] = defaultChoices(c));
    var el = h('div', { class: 'card' + (m.answered ? ' answered' : ''), 'data-task': m.taskId, 'data-card-type': c.card_type });
    if (c.source && c.source.desc) append(el, h('div', { class: 'src' + (c.source.desc_color === 2 ? ' warn' : '') }, h('i', null, '回'), c.source.desc));
    if (c.main_title) {
      append(el, h('h3', null, c.main_title.title || ''));
      if (c.main_title.desc) append(el, h('div', { class: 'desc' }, c.main_title.desc));
    }
    if (c.sub_title_text) append(el, h('div', { class: 'subtext' }, c.sub_title_text));
    if (c.horizontal_content_list) {
      append(el, h('div', { class: 'rows' }, c.horizontal_content_list.map(function (r) {
        var value = r.type === 1 && r.url ? h('a', { href: r.url, target: '_blank', rel: 'noopener' }, r.value || '查看') : (r.value || '');
        return h('div', { class: 'row' }, h('span', { class: 'k' }, r.keyname), h('span', { class: 'v' }, value));
      })));
    }
    (c.select_list || []).forEach(function (s) { append(el, selectBox(m, s, chosen, locked)); });
    if (c.button_selection) append(el, selectBox(m, c.button_selection, chosen, locked));
    if (c.checkbox) {
      var box = c.checkbox;
      append(el, h('div', { class: 'vote', role: 'group' }, box.option_list.map(function (o) {
        var input = h('input', { type: box.mode === 1 ? 'checkbox' : 'radio', name: 'q-' + m.taskId, value: o.id, disabled: locked,
          onchange: function (e) {
            var list = box.mode === 1 ? (chosen[box.question_key] || []).filter(function (id) { return id !== o.id; }) : [];
            if (e.target.checked) list.push(o.id);
            chosen[box.question_key] = list;
          } });
        input.checked = (chosen[box.question_key] || []).indexOf(o.id) >= 0;
        return h('label', { class: 'opt' }, input, h('span', null, o.text));
      })));
    }
    if (m.answered) {
      append(el, h('div', { class: 'done', role: 'status' }, m.answered));
    } else if (c.button_list) {
      append(el, h('div', { class: 'buttons' }, c.button_list.map(function (b) {
        if (b.type === 1) return h('a', { class: 'btn link s' + (b.style || 2), href: b.url, target: '_blank', rel: 'noopener', role: 'button' }, b.text);
        return h('button', { class: 'btn s' + (b.style || 1), type: 'button', 'data-key': b.key, disabled: locked,
          onclick: function (e) { tap(m, b.key, chosen, e.target); } }, b.text);
      })));
    } else if (c.submit_button) {
      append(el, h('div', { class: 'buttons' }, h('button', { class: 'btn s1', type: 'button', 'data-key': c.submit_button.key, disabled: locked,
        onclick: function (e) { tap(m, c.submit_button.key, chosen, e.target); } }, c.submit_button.text)));
    }
    var jumps = (c.jump_list || []).filter(function (j) { return j.url; });
    if (jumps.length) {
      append(el, h('div', { class: 'foot' }, jumps.map(function (j) { return h('a', { href: j.url, target: '_blank', rel: 'noopener' }, j.title); })));
    } else if (c.card_action && c.card_action.url && !c.button_list) {
      append(el, h('div', { class: 'foot' }, h('a', { href: c.card_action.url, target: '_blank', rel: 'noopener' }, '查看详情'), h('span', { class: 'desc' }, '›')));
    }
    return el;
  }
  function tap(m, key, chosen, button) {
    var all = button.closest('.card').querySelectorAll('button, select, input');
    Array.prototype.forEach.call(all, function (b) { b.disabled = true; });
    var selections = {};
    Object.keys(chosen).forEach(function (q) { if (chosen[q] && chosen[q].length && chosen[q][0] !== undefined) selections[q] = chosen[q]; });
    api('POST', '/sandbox/api/tap', { userId: state.user, taskId: m.taskId, eventKey: key, selections: selections })
      .catch(function (err) { alert('点击未送达：' + err.message); })
      .then(function () { return refresh(true); });
  }
  function refreshChat(forceBottom) {
    if (!state.user) { renderChat(null); return Promise.resolve(); }
    var user = state.user;
    return api('GET', '/sandbox/api/chats/' + encodeURIComponent(user)).then(function (chat) {
      if (user !== state.user) return;
      var json = JSON.stringify(chat);
      if (json === state.chatJson && !forceBottom) return;
      state.chatJson = json;
      renderChat(chat, forceBottom);
      renderPeople();
    });
  }

  // ---- visits -------------------------------------------------------------------------
  function status(code) {
    return h('span', { class: 'st st-' + code, title: code }, STATUS[code] || code, h('small', null, code));
  }
  function renderVisits(visits) {
    var body = $('visits');
    body.textContent = '';
    $('visit-count').textContent = visits.length ? '共 ' + visits.length + ' 个' : '';
    if (visits.length === 0) append(body, h('tr', null, h('td', { class: 'm' }, '还没有回访。')));
    visits.forEach(function (v) {
      var kind = (KINDS[v.kind] || v.kind) + (v.kind === 'complaint' && v.severity === 'major' ? '（重大）' : '') + (PURPOSES[v.purpose] || '');
      var who = [v.unitId, v.residentName].filter(Boolean).join(' ');
      var staff = (v.assignees || []).map(function (a) { return staffName(a.staffId); }).join('、');
      append(body, h('tr', { class: 'v' + (state.fresh[v.id] ? ' fresh' : ''), 'data-visit-id': v.id, 'data-status': v.status, 'data-work-order': v.workOrderId,
        onclick: function () { state.openVisit = state.openVisit === v.id ? 0 : v.id; renderVisits(visits); } },
        h('td', { class: 'id' }, '#' + v.id),
        h('td', null, h('div', { class: 't' }, kind + '回访 · ' + (v.title || v.workOrderId)), h('div', { class: 'm' }, [who, staff ? '回访人 ' + staff : ''].filter(Boolean).join(' · '))),
        h('td', null, status(v.status), h('div', { class: 'm' }, '至 ' + day(v.dueBy) + (v.late ? ' · 迟了' : '')))));
      if (state.openVisit === v.id) {
        var cell = h('td', { colspan: '3' }, '加载中…');
        append(body, h('tr', { class: 'detail' }, cell));
        api('GET', '/sandbox/api/visits/' + v.id).then(function (d) { detail(cell, d); }).catch(function (e) { cell.textContent = e.message; });
      }
    });
  }
  function detail(cell, d) {
    cell.textContent = '';
    var a = d.answers || {};
    var answers = ['质量 ' + (a.quality || '–'), '效果 ' + (a.effect || '–'), '满意 ' + (a.satisfaction || '–'),
      '不足 ' + ((a.shortcomings || []).join('、') || '–'), a.suggestions ? '建议「' + a.suggestions + '」' : ''].filter(Boolean).join(' · ');
    append(cell, h('div', null, '工单 ' + d.workOrderId + ' · 期限 ' + fmt(d.dueFrom) + ' 至 ' + fmt(d.dueBy)),
      h('div', null, '答案：' + answers),
      h('ul', null, (d.history || []).map(function (e) { return h('li', null, fmt(e.at) + ' ' + e.action + (e.actor && e.actor !== 'system' ? '（' + e.actor + '）' : '')); })));
  }
  function refreshVisits() {
    return api('GET', '/sandbox/api/visits').then(function (data) {
      var json = JSON.stringify(data.visits);
      if (json === state.visitsJson) return;
      var before = {};
      if (state.visitsJson) JSON.parse(state.visitsJson).forEach(function (v) { before[v.id] = v.status; });
      state.fresh = {};
      if (state.visitsJson) data.visits.forEach(function (v) { if (before[v.id] !== v.status) state.fresh[v.id] = true; });
      state.visitsJson = json;
      renderVisits(data.visits);
    });
  }

  // ---- people, form and jobs ----------------------------------------------------------
  function refreshPeople() {
    return api('GET', '/sandbox/api/people').then(function (data) {
      state.offices = data.offices;
      if (data.offices.length) state.zone = data.offices[0].timeZone;
      var json = JSON.stringify(data);
      if (json === state.peopleJson) return;
      state.peopleJson = json;
      state.people = data.people;
      renderPeople();
      renderChatHead();
      fillResidents();
    });
  }
  function fillResidents() {
    var select = $('wo-resident');
    var current = select.value;
    var residents = state.people.filter(function (p) { return p.kind === 'resident'; });
    if (select.options.length === residents.length) return;
    select.textContent = '';
    residents.forEach(function (p) {
      append(select, h('option', { value: p.id, 'data-office': p.officeId, 'data-unit': p.unitId || '', 'data-user': p.userId }, p.name + (p.unitId ? ' · ' + p.unitId : '')));
    });
    select.value = current || select.getAttribute('data-default-resident') || '';
    if (!select.value && select.options.length) select.selectedIndex = 0;
    if (!$('wo-unit').value) syncUnit();
  }
  function syncUnit() {
    var option = $('wo-resident').selectedOptions[0];
    if (option) $('wo-unit').value = option.getAttribute('data-unit') || '';
  }
  function sendWorkOrder(e) {
    e.preventDefault();
    var option = $('wo-resident').selectedOptions[0];
    if (!option) return;
    var button = $('wo-send');
    var out = $('wo-result');
    button.disabled = true;
    out.className = 'result';
    out.textContent = '发送中…';
    $('open-chat').hidden = true;
    api('POST', '/sandbox/api/work-orders', { officeId: option.getAttribute('data-office'), kind: $('wo-kind').value, severity: $('wo-severity').value,
      title: $('wo-title').value, unitId: $('wo-unit').value, residentId: option.value })
      .then(function (data) {
        var w = data.webhook;
        var b = w.body || {};
        if (w.status === 202) {
          out.className = 'result ok';
          out.textContent = (b.visits || []).length
            ? '已受理 · ' + b.visits.map(function (v) { return '回访 #' + v.id + '（' + (STATUS[v.status] || v.status) + '，至 ' + day(v.dueBy) + '）'; }).join('，')
            : '已受理，不安排回访：' + (b.reason || '');
          var user = option.getAttribute('data-user');
          var open = $('open-chat');
          open.textContent = '打开 ' + option.textContent.split(' · ')[0] + ' 的聊天';
          open.onclick = function () { choose(user); };
          open.hidden = false;
        } else {
          out.className = 'result err';
          out.textContent = 'webhook 答复 ' + w.status + '：' + ((b.error && b.error.message) || b.status || '');
        }
      })
      .catch(function (err) { out.className = 'result err'; out.textContent = err.message; })
      .then(function () { button.disabled = false; return refresh(); });
  }
  function runJobs() {
    var button = $('run-jobs');
    var out = $('jobs-result');
    button.disabled = true;
    out.className = 'result';
    out.textContent = '运行中…';
    api('POST', '/sandbox/api/run-jobs').then(function (data) {
      var r = {};
      var failed = [];
      data.jobs.forEach(function (j) { if (j.status === 'done') Object.assign(r, j.result); else failed.push(j.job); });
      out.className = failed.length ? 'result err' : 'result ok';
      out.textContent = failed.length ? '失败：' + failed.join('、') : '已运行 · 窗口开启 ' + (r.opened || 0) + ' · 问住户 ' + (r.residentsAsked || 0) + ' · 提醒员工 ' + (r.reminders || 0) +
        ' · 再问 ' + (r.reasked || 0) + ' · 逾期 ' + (r.overdue || 0) + ' · 发出 ' + data.dispatched.sent + ' 条';
    }).catch(function (err) { out.className = 'result err'; out.textContent = err.message; })
      .then(function () { button.disabled = false; return refresh(); });
  }
  function sendReply(e) {
    e.preventDefault();
    var input = $('reply-text');
    var text = input.value.trim();
    if (!text || !state.user) return;
    input.value = '';
    api('POST', '/sandbox/api/reply', { userId: state.user, text: text })
      .catch(function (err) { alert('消息未送达：' + err.message); })
      .then(function () { return refresh(true); });
  }

  function refresh(forceBottom) {
    if (state.busy && !forceBottom) return Promise.resolve();
    state.busy = true;
    return Promise.all([refreshPeople(), refreshVisits()])
      .then(function () { return refreshChat(forceBottom === true); })
      .then(function () { $('conn').classList.remove('lost'); })
      .catch(function (err) { $('conn').classList.add('lost'); $('conn').setAttribute('data-error', err.message); })
      .then(function () { state.busy = false; });
  }

  $('wo-form').addEventListener('submit', sendWorkOrder);
  $('wo-resident').addEventListener('change', syncUnit);
  $('wo-kind').addEventListener('change', function () { $('wo-severity').disabled = $('wo-kind').value !== 'complaint'; });
  $('run-jobs').addEventListener('click', runJobs);
  $('reply').addEventListener('submit', sendReply);
  renderChat(null);
  refresh(true);
  setInterval(refresh, 1500);
})();
`;

const KIND_OPTIONS = [
  ['complaint', '投诉'],
  ['repair', '维修'],
  ['repair_works', '维修工程'],
  ['special_service', '特约服务（合同）'],
  ['help', '求助'],
  ['emergency', '急救'],
  ['activity', '活动'],
  ['other', '其他'],
]
  .map(([value, label]) => `<option value="${value}">${label}</option>`)
  .join('');

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<link rel="icon" href="data:,"><title>Huifang 回访 · 聊天沙盒</title><style>${STYLE}</style></head>
<body>
<header class="top"><span class="logo">回</span><span class="brand">Huifang 回访</span><span class="tag">聊天沙盒 · 企业微信模拟</span>
<span class="note" id="conn">没有配置企业微信/钉钉：消息发到本进程内的模拟企业微信，点卡片按钮发出真实的加密回调</span></header>
<div class="layout">
<nav class="people" id="people" aria-label="通讯录"></nav>
<main class="chat">
<div class="chat-head" id="chat-head"></div>
<div class="messages" id="messages" aria-live="polite"></div>
<form class="reply" id="reply"><input id="reply-text" maxlength="2000" autocomplete="off" aria-label="回复文字" placeholder="选择一个人后，可以以他的身份回复文字"><button class="primary" id="reply-send" type="submit" disabled>发送</button></form>
</main>
<aside class="side">
<section class="panel"><h2><span class="step">1</span>发送工单</h2>
<p class="hint">像工单系统那样：服务完成后，向 /webhooks/work-orders 发送签名的事件。</p>
<form id="wo-form" class="form">
<label>类型<select id="wo-kind">${KIND_OPTIONS}</select></label>
<label>投诉级别<select id="wo-severity"><option value="general">一般投诉</option><option value="major">重大投诉</option></select></label>
<label class="wide">标题<input id="wo-title" value="电梯异响" maxlength="200" required></label>
<label>住户<select id="wo-resident" data-default-resident=""></select></label>
<label>房号<input id="wo-unit" maxlength="64"></label>
<div class="wide actions"><button class="primary" id="wo-send" type="submit">发送工单</button><span class="result" id="wo-result" role="status"></span></div>
</form></section>
<section class="panel"><h2><span class="step">2</span>运行到期任务</h2>
<p class="hint">不必等定时任务：开启回访窗口、提醒员工、给住户发评价卡片、标记逾期，然后立即发出。</p>
<div class="actions"><button class="primary" id="run-jobs" type="button">运行到期任务</button><span class="result" id="jobs-result" role="status"></span></div></section>
<section class="panel"><h2><span class="step">3</span>在住户的聊天里作答</h2>
<p class="hint">选「非常满意」点提交 → 勾选不足点提交 → 点确认，回访即「已记录」。主管随后收到审核卡片。</p>
<div class="actions"><button class="ghost" id="open-chat" type="button" hidden></button></div></section>
<section class="panel visits"><h2>回访 <span class="result" id="visit-count"></span></h2>
<table><tbody id="visits"></tbody></table></section>
</aside>
</div>
<script>${SCRIPT}</script>
</body></html>`;

/** The sandbox page's Content-Security-Policy: its own CSS and script, which polls /sandbox/api. */
export const SANDBOX_PAGE_POLICY = pagePolicy({ styles: [STYLE], scripts: [SCRIPT], fetchesOwnApi: true });
