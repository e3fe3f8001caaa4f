/**
 * The chat sidebar's script (plain ES5 with fetch and Promise, no dependencies), served as a
 * file at SIDEBAR_SCRIPT_PATH. Each wait on WeCom has a time limit, and every failure ends in a
 * state the page names (`#state[data-kind=error]`), never a silent wait. A signature WeCom
 * refuses (a ticket that lapsed mid-day) is reported once, the server drops that ticket and
 * signs again, and the page tries once more.
 */
export const SIDEBAR_SCRIPT = `(function () {
  var root = document.getElementById('sidebar');
  if (!root) return;
  var session = root.getAttribute('data-session');
  var stateEl = document.getElementById('state');
  var list = document.getElementById('visits');
  var template = document.getElementById('record-form');
  var pageUrl = location.href.split('#')[0];
  var APIS = ['getCurExternalContact', 'sendChatMessage'];
  var WAIT_MS = 10000;
  var contact = null;
  var signed = null;
  var MESSAGES = {
    not_staff: '你不在任何服务中心的在职回访人员名单中（可能已调离），无法使用回访工具栏。',
    contact_unknown: '这位客户不在回访名单中：没有登记这个企业微信客户，或客户 ID 已变更。',
    session_expired: '侧边栏已打开太久，请关闭后重新打开。',
    survey_not_open: '这次回访现在不能填写问卷。',
    already_recorded: '这次回访已经有记录了。',
    forbidden: '你不是这次回访的回访人员，不能记录。',
    wecom_unavailable: '企业微信暂时没有签发 JS-SDK 票据，请稍后重新打开侧边栏。'
  };

  function show(kind, text) {
    stateEl.setAttribute('data-kind', kind);
    stateEl.textContent = text;
  }
  function explain(answer) {
    var error = answer && answer.data && answer.data.error;
    if (error && MESSAGES[error.code]) return MESSAGES[error.code];
    if (error && error.message) return '服务器拒绝了请求：' + error.message;
    return '服务器暂时无法处理（HTTP ' + (answer ? answer.status : '?') + '），请稍后再试。';
  }
  function api(method, path, body) {
    return fetch(path, {
      method: method,
      headers: { 'content-type': 'application/json', 'x-sidebar-session': session },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) { return { status: res.status, data: data }; });
    }, function () { return { status: 0, data: null }; });
  }
  function waitFor(what, start) {
    return new Promise(function (resolve, reject) {
      var settled = false;
      var timer = setTimeout(function () { finish(false, { timeout: what }); }, WAIT_MS);
      function finish(ok, value) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        (ok ? resolve : reject)(value);
      }
      start(finish);
    });
  }
  function wecomError(res) {
    return (res && (res.errMsg || res.err_msg)) || '无返回';
  }

  function configure(s) {
    return waitFor('wx.config', function (finish) {
      var failed = false;
      wx.error(function (res) { failed = true; finish(false, { kind: 'corp', res: res }); });
      wx.ready(function () { setTimeout(function () { if (!failed) finish(true); }, 0); });
      wx.config({ beta: true, debug: false, appId: s.corp.appId, timestamp: s.corp.timestamp, nonceStr: s.corp.nonceStr, signature: s.corp.signature, jsApiList: APIS });
    }).then(function () {
      return waitFor('wx.agentConfig', function (finish) {
        wx.agentConfig({
          corpid: s.agent.corpid, agentid: s.agent.agentid, timestamp: s.agent.timestamp, nonceStr: s.agent.nonceStr, signature: s.agent.signature, jsApiList: APIS,
          success: function () { finish(true); },
          fail: function (res) { finish(false, { kind: 'agent', res: res }); }
        });
      });
    });
  }

  // Each ticket gets one second chance: a refused signature is reported, the server drops
  // that ticket if it is still the one cached, and the page signs and configures again.
  var renewed = { corp: false, agent: false };
  function start(failed) {
    return api('POST', '/sidebar/api/signatures', { url: pageUrl, failed: failed }).then(function (answer) {
      if (answer.status !== 200) throw { answer: answer };
      signed = answer.data;
      return configure(signed);
    }).catch(function (problem) {
      if (problem && problem.kind && !renewed[problem.kind]) {
        renewed[problem.kind] = true;
        show('loading', '企业微信签名未通过，正在重新签名…');
        var s = signed[problem.kind];
        return start({ kind: problem.kind, timestamp: s.timestamp, nonceStr: s.nonceStr, signature: s.signature });
      }
      throw problem;
    });
  }

  function currentContact() {
    return waitFor('getCurExternalContact', function (finish) {
      wx.invoke('getCurExternalContact', {}, function (res) {
        if (res && res.err_msg === 'getCurExternalContact:ok' && res.userId) finish(true, res.userId);
        else finish(false, { contact: res });
      });
    });
  }

  function load() {
    return api('GET', '/sidebar/api/contacts/' + encodeURIComponent(contact) + '/visits').then(function (answer) {
      if (answer.status !== 200) throw { answer: answer };
      render(answer.data);
    });
  }

  function line(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = text;
    return el;
  }
  function render(data) {
    list.textContent = '';
    var who = data.residentName ? data.residentName + ' 的' : '';
    if (data.visits.length === 0) { show('ready', who + '回访都已完成，没有待办。'); return; }
    show('ready', who + '未完成回访：' + data.visits.length + ' 个');
    data.visits.forEach(function (v) {
      var card = document.createElement('article');
      card.className = 'visit';
      card.setAttribute('data-visit-id', String(v.id));
      card.appendChild(line('h2', '', v.kind + (v.title ? '：' + v.title : '')));
      card.appendChild(line('p', 'meta', v.officeName + ' · ' + v.window + ' · ' + v.statusLabel));
      if (v.linkSentAt) card.appendChild(line('p', 'sent', '已在聊天中发送问卷链接（' + v.linkSentLabel + '）'));
      if (v.canSend) card.appendChild(button('发送问卷链接', '', function (b) { sendLink(v, card, b); }));
      if (v.canRecord) card.appendChild(button('记录电话回访', 'plain', function () { openForm(v, card); }));
      list.appendChild(card);
    });
  }
  function button(text, cls, onTap) {
    var b = line('button', cls, text);
    b.type = 'button';
    b.addEventListener('click', function () { onTap(b); });
    return b;
  }
  function problemOf(card, text) {
    var old = card.querySelector('.problem');
    if (old) old.parentNode.removeChild(old);
    if (text) card.appendChild(line('p', 'problem', text));
  }

  function sendLink(v, card, b) {
    b.disabled = true;
    problemOf(card, null);
    api('POST', '/sidebar/api/visits/' + v.id + '/survey-link').then(function (answer) {
      if (answer.status !== 200) throw { answer: answer };
      var message = answer.data;
      return waitFor('sendChatMessage', function (finish) {
        wx.invoke('sendChatMessage', { msgtype: 'news', enterChat: false, news: message.news }, function (res) {
          if (res && res.err_msg === 'sendChatMessage:ok') finish(true);
          else finish(false, { send: res });
        });
      }).then(function () {
        return api('POST', '/sidebar/api/visits/' + v.id + '/survey-link/sent', { sendId: message.sendId });
      }).then(function (answer) {
        if (answer.status !== 200) throw { answer: answer, sent: true };
        return load().then(function () { show('done', '问卷链接已发送到聊天中，并已记入回访记录。'); });
      });
    }).catch(function (problem) {
      b.disabled = false;
      if (problem.send) problemOf(card, '未发送：企业微信没有发出消息（' + wecomError(problem.send) + '）。');
      else if (problem.timeout) problemOf(card, '未发送：企业微信没有回应，请重试。');
      else problemOf(card, (problem.sent ? '链接已发出，但未能记入回访记录：' : '') + explain(problem.answer));
    });
  }

  // The record form: a copy of the page's template under the visit being recorded.
  function openForm(v, card) {
    var open = list.querySelector('form');
    if (open) open.parentNode.removeChild(open);
    var form = template.content.firstElementChild.cloneNode(true);
    form.querySelector('[data-action="cancel-record"]').addEventListener('click', function () { form.parentNode.removeChild(form); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      submitRecord(v, card, form);
    });
    card.appendChild(form);
  }
  function submitRecord(v, card, form) {
    var value = function (name) { var el = form.querySelector('input[name="' + name + '"]:checked'); return el ? Number(el.value) : undefined; };
    var shortcomings = [];
    var boxes = form.querySelectorAll('input[name="shortcomings"]:checked');
    for (var i = 0; i < boxes.length; i++) shortcomings.push(boxes[i].value);
    var text = function (name) { var t = form.querySelector('textarea[name="' + name + '"]').value.trim(); return t === '' ? null : t; };
    var body = { method: 'phone', answers: { quality: value('quality'), effect: value('effect'), satisfaction: value('satisfaction'), shortcomings: shortcomings, suggestions: text('suggestions') }, notes: text('notes') };
    api('POST', '/sidebar/api/visits/' + v.id + '/record', body).then(function (answer) {
      if (answer.status !== 200) { problemOf(card, explain(answer)); return; }
      return load().then(function () { show('done', '电话回访记录已保存，等待主管审核。'); });
    });
  }

  function fail(problem) {
    if (problem && problem.timeout) show('error', '企业微信没有回应（' + problem.timeout + '），请关闭侧边栏后重新打开。');
    else if (problem && problem.kind) show('error', '企业微信拒绝了页面签名（' + wecomError(problem.res) + '），重新签名后仍未通过。请检查应用的可信域名，或稍后重新打开侧边栏。');
    else if (problem && problem.contact) show('error', '无法获取当前聊天的客户（' + wecomError(problem.contact) + '）。请在与外部客户的单聊中打开回访工具栏。');
    else if (problem && problem.answer) show('error', explain(problem.answer));
    else show('error', '侧边栏出错了，请关闭后重新打开。');
  }

  if (typeof wx === 'undefined' || !wx.config || !wx.invoke) {
    show('error', '未能加载企业微信 JS-SDK。请在企业微信的聊天工具栏中打开本页。');
    return;
  }
  start(null).then(currentContact).then(function (id) { contact = id; return load(); }).catch(fail);
})();
`;
