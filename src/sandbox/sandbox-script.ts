/**
 * The sandbox page's script, served as `/sandbox/sandbox.js`. It polls `/sandbox/api/*`, and
 * listens to `/sandbox/api/live` (server-sent events) so that a card shows in the chat the
 * moment the fake WeCom receives it, without a reload.
 *
 * Plain ES2017 in a string: it must contain no backtick and no dollar-brace.
 */
export const SANDBOX_SCRIPT = String.raw`
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
      append(list, office.residentQuietHours
        ? h('div', { class: 'office-note on' }, '免打扰 ' + office.residentQuietHours + '：这段时间的消息稍后发出')
        : h('div', { class: 'office-note', 'data-quiet': 'off' }, '演示用：免打扰时段已关闭，卡片随时发出（真实管理处默认 21:00–08:00 不打扰）'));
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
        h('td', null, status(v.status), h('div', { class: 'm' }, '至 ' + day(v.dueBy) + (v.late ? ' · 迟了' : ''))),
        h('td', { class: 'links' }, h('button', { class: 'copy', type: 'button', 'data-copy-survey': v.id, title: '复制住户的问卷链接，在本机或手机上打开',
          onclick: function (e) { e.stopPropagation(); copySurveyLink(v.id, e.currentTarget); } }, '复制问卷链接'))));
      if (state.openVisit === v.id) {
        var cell = h('td', { colspan: '4' }, '加载中…');
        append(body, h('tr', { class: 'detail' }, cell));
        api('GET', '/sandbox/api/visits/' + v.id).then(function (d) { detail(cell, d); }).catch(function (e) { cell.textContent = e.message; });
      }
    });
  }
  // A fresh signed survey link of the visit, as the resident's card carries it.
  function copySurveyLink(id, button) {
    api('GET', '/sandbox/api/visits/' + id + '/survey-link').then(function (data) {
      button.setAttribute('data-url', data.url);
      var done = function () { button.textContent = '已复制'; button.classList.add('ok'); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        return navigator.clipboard.writeText(data.url).then(done, function () { window.prompt('复制这个链接：', data.url); });
      }
      window.prompt('复制这个链接：', data.url);
    }).catch(function (err) { button.textContent = '失败：' + err.message; });
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
  // A card shows the moment it reaches the chat: the server says whose chat got something.
  function listen() {
    if (!window.EventSource) return;
    var source = new EventSource('/sandbox/api/live');
    source.addEventListener('delivery', function (e) {
      var user = JSON.parse(e.data).userId;
      var ignore = function () {};
      if (state.user && String(user).toLowerCase() === state.user.toLowerCase()) refreshChat(false).catch(ignore);
      refreshPeople().catch(ignore);
    });
  }

  renderChat(null);
  refresh(true);
  listen();
  setInterval(refresh, 1500);
})();
`;
