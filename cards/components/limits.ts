import type { DingtalkMessage, RenderedMessage, WecomMessage } from '../../src/channels/channel';
import { DINGTALK, WECOM } from './platform-limits';
import { charLength, utf8Bytes } from './utf8';

/**
 * Checks a rendered message against the platforms' documented rules before anything is
 * sent: WeCom `template_card` / markdown / text (docs/wecom.md §2.1–§2.8, §6) and DingTalk work
 * notices, robot bodies and generic-template card instances (docs/dingtalk.md §3–§4, §6).
 *
 * `errors` are what the platform refuses, cuts or silently drops (hard limits, missing
 * required fields, undocumented fields, our key policy); `warnings` are the soft display
 * lengths WeCom gives as "≈ N characters".
 */
export interface LimitReport {
  errors: string[];
  warnings: string[];
}

/** How a WeCom message goes out: app `message/send` (default) or the group robot. */
export interface WecomCheckOptions {
  via?: 'app' | 'robot';
  /** `update`: a replacement card for `update_template_card`, which carries no task_id. */
  use?: 'send' | 'update';
}

/** How a DingTalk message goes out, and the tag a work notice must carry. */
export interface DingtalkCheckOptions {
  via?: 'app' | 'robot';
  /** When given, a notice's text must contain it (same content is dropped once a day). */
  uniqueTag?: string;
  /** Check card params against our generic template's contract (default true). */
  genericTemplate?: boolean;
}

const TASK_ID = /^[0-9A-Za-z_\-@]+$/;
/** Our policy for every key on a card (docs/wecom.md §2.4 documents no charset). */
const KEY = /^[A-Za-z0-9_-]+$/;
const HTTP_URL = /^https?:\/\/\S+$/;

/** Fields each WeCom card type documents (docs/wecom.md §2.4–§2.8, doc 90236, doc 94888). */
const CARD_FIELDS: Record<string, ReadonlySet<string>> = {
  text_notice: new Set(['card_type', 'source', 'action_menu', 'task_id', 'main_title', 'quote_area', 'emphasis_content', 'sub_title_text', 'horizontal_content_list', 'jump_list', 'card_action']),
  news_notice: new Set(['card_type', 'source', 'action_menu', 'task_id', 'main_title', 'quote_area', 'image_text_area', 'card_image', 'vertical_content_list', 'horizontal_content_list', 'jump_list', 'card_action']),
  button_interaction: new Set(['card_type', 'source', 'action_menu', 'task_id', 'main_title', 'quote_area', 'sub_title_text', 'horizontal_content_list', 'card_action', 'button_selection', 'button_list', 'replace_text']),
  vote_interaction: new Set(['card_type', 'source', 'main_title', 'task_id', 'checkbox', 'submit_button', 'replace_text']),
  multiple_interaction: new Set(['card_type', 'source', 'main_title', 'task_id', 'select_list', 'submit_button', 'replace_text']),
};
const INTERACTIVE = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);

/** The variables of our generic DingTalk card template (cards/README.md). */
export const GENERIC_TEMPLATE_VARIABLES = Object.freeze([
  'title',
  'subtitle',
  'markdown',
  'fields',
  'buttons',
  'selects',
  'answered',
  'answerText',
  'link',
] as const);

type Json = Record<string, unknown>;

class Report implements LimitReport {
  errors: string[] = [];
  warnings: string[] = [];
  error(message: string): void {
    this.errors.push(message);
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
  soft(text: unknown, max: number, where: string): void {
    if (typeof text === 'string' && charLength(text) > max) {
      this.warn(`${where} is ${charLength(text)} characters; WeCom suggests ≈${max}`);
    }
  }
  text(value: unknown, where: string): value is string {
    if (typeof value !== 'string' || value === '') {
      this.error(`${where} is required (non-empty string)`);
      return false;
    }
    return true;
  }
  url(value: unknown, where: string, maxChars?: number): void {
    if (!this.text(value, where)) return;
    if (!HTTP_URL.test(value)) this.error(`${where} must be an http(s) URL`);
    if (maxChars !== undefined && charLength(value) > maxChars) this.error(`${where} is over ${maxChars} characters`);
  }
  list(value: unknown, min: number, max: number, where: string): Json[] {
    if (!Array.isArray(value)) {
      this.error(`${where} must be a list of ${min}–${max}`);
      return [];
    }
    if (value.length < min || value.length > max) this.error(`${where} has ${value.length} entries; allowed ${min}–${max}`);
    return value.filter((entry): entry is Json => {
      const ok = typeof entry === 'object' && entry !== null && !Array.isArray(entry);
      if (!ok) this.error(`${where} entries must be objects`);
      return ok;
    });
  }
  bytes(text: string, max: number, where: string): void {
    const size = utf8Bytes(text);
    if (size > max) this.error(`${where} is ${size} bytes; limit ${max}`);
  }
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * Checks one WeCom message (docs/wecom.md §2, §6).
 *
 * Invariant: a message with no errors is one WeCom documents as valid for the chosen way
 * of sending, within every byte and count limit, with keys of our `[A-Za-z0-9_-]` policy.
 */
export function checkWecomMessage(message: WecomMessage, options: WecomCheckOptions = {}): LimitReport {
  const report = new Report();
  const via = options.via ?? 'app';
  switch (message.msgtype) {
    case 'text': {
      const content = message.text?.content;
      if (report.text(content, 'text.content')) report.bytes(content, via === 'robot' ? WECOM.robotTextMaxBytes : WECOM.textMaxBytes, 'text.content');
      break;
    }
    case 'markdown': {
      const content = message.markdown?.content;
      const limit = via === 'robot' ? WECOM.robotMarkdownMaxBytes : WECOM.markdownMaxBytes;
      if (report.text(content, 'markdown.content')) report.bytes(content, limit, 'markdown.content');
      break;
    }
    case 'template_card':
      if (via === 'robot') {
        const type = message.template_card?.card_type;
        if (type !== 'text_notice' && type !== 'news_notice') report.error('the group robot sends only text_notice / news_notice cards');
      }
      checkTemplateCard(message.template_card, options.use ?? 'send', report);
      break;
    default:
      report.error(`unsupported msgtype ${String((message as { msgtype?: unknown }).msgtype)}`);
  }
  return report;
}

function checkTemplateCard(card: Json | undefined, use: 'send' | 'update', report: Report): void {
  if (!card) {
    report.error('template_card is required');
    return;
  }
  const type = card.card_type;
  if (typeof type !== 'string' || !CARD_FIELDS[type]) {
    report.error(`card_type must be one of ${Object.keys(CARD_FIELDS).join(', ')}`);
    return;
  }
  for (const field of Object.keys(card)) {
    if (!CARD_FIELDS[type]!.has(field)) report.error(`${field} is not a documented field of ${type}`);
  }
  const interactive = INTERACTIVE.has(type);
  const actionKeys: unknown[] = [];
  const questionKeys: unknown[] = [];

  // task_id: required for cards that call back (§2.4); absent on replacement cards (§3).
  if (use === 'update') {
    if (card.task_id !== undefined) report.error('a replacement card (update_template_card) carries no task_id');
  } else if (interactive || card.action_menu !== undefined || card.task_id !== undefined) {
    const taskId = card.task_id;
    if (report.text(taskId, 'task_id')) {
      if (!TASK_ID.test(taskId)) report.error('task_id may contain only 0-9 a-z A-Z _ - @');
      report.bytes(taskId, WECOM.taskIdMaxBytes, 'task_id');
    }
  }

  const source = asObject(card.source);
  if (card.source !== undefined) {
    if (!source) report.error('source must be an object');
    else {
      report.soft(source.desc, WECOM.soft.sourceDesc, 'source.desc');
      if (source.desc_color !== undefined && ![0, 1, 2, 3].includes(source.desc_color as number)) report.error('source.desc_color must be 0–3');
    }
  }

  const mainTitle = asObject(card.main_title);
  const title = mainTitle?.title;
  if (interactive) report.text(title, 'main_title.title');
  if (type === 'text_notice' && (typeof title !== 'string' || title === '') && (typeof card.sub_title_text !== 'string' || card.sub_title_text === '')) {
    report.error('text_notice needs main_title.title or sub_title_text');
  }
  report.soft(title, type === 'vote_interaction' ? WECOM.soft.voteMainTitle : WECOM.soft.mainTitle, 'main_title.title');
  report.soft(mainTitle?.desc, WECOM.soft.mainTitleDesc, 'main_title.desc');
  if (card.sub_title_text !== undefined) {
    if (report.text(card.sub_title_text, 'sub_title_text')) report.soft(card.sub_title_text, WECOM.soft.subTitleText, 'sub_title_text');
  }
  if (card.replace_text !== undefined) report.text(card.replace_text, 'replace_text');

  if (card.action_menu !== undefined) {
    const menu = asObject(card.action_menu);
    for (const action of report.list(menu?.action_list, WECOM.actionMenuItems.min, WECOM.actionMenuItems.max, 'action_menu.action_list')) {
      report.text(action.text, 'action_menu.action_list.text');
      actionKeys.push(action.key);
    }
  }

  if (card.horizontal_content_list !== undefined) {
    for (const row of report.list(card.horizontal_content_list, 0, WECOM.horizontalRowsMax, 'horizontal_content_list')) {
      if (report.text(row.keyname, 'horizontal_content_list.keyname')) report.soft(row.keyname, WECOM.soft.keyname, 'horizontal_content_list.keyname');
      const rowType = row.type ?? 0;
      if (rowType === 1) report.url(row.url, 'horizontal_content_list.url');
      else if (rowType === 2) report.text(row.media_id, 'horizontal_content_list.media_id');
      else if (rowType === 3) report.text(row.userid, 'horizontal_content_list.userid');
      else if (rowType !== 0) report.error('horizontal_content_list.type must be 0–3');
    }
  }
  if (card.jump_list !== undefined) {
    for (const jump of report.list(card.jump_list, 0, WECOM.jumpListMax, 'jump_list')) {
      report.text(jump.title, 'jump_list.title');
      if (jump.type === 1) report.url(jump.url, 'jump_list.url');
      else if (jump.type === 2) report.text(jump.appid, 'jump_list.appid');
    }
  }
  if (card.quote_area !== undefined) {
    const quote = asObject(card.quote_area);
    if (quote?.type === 1) report.url(quote.url, 'quote_area.url');
    if (quote?.type === 2) report.text(quote.appid, 'quote_area.appid');
  }
  const cardAction = asObject(card.card_action);
  if (card.card_action !== undefined || type === 'text_notice' || type === 'news_notice') {
    if (cardAction?.type === 1) report.url(cardAction.url, 'card_action.url');
    else if (cardAction?.type === 2) report.text(cardAction.appid, 'card_action.appid');
    else report.error(`card_action.type must be 1 (url) or 2 (mini-program)${type.endsWith('_notice') ? `; required for ${type}` : ''}`);
  }

  switch (type) {
    case 'news_notice':
      if (card.card_image === undefined && card.image_text_area === undefined) report.error('news_notice needs card_image or image_text_area');
      break;
    case 'button_interaction': {
      for (const button of report.list(card.button_list, WECOM.buttons.min, WECOM.buttons.max, 'button_list')) {
        if (report.text(button.text, 'button_list.text')) report.soft(button.text, WECOM.soft.buttonText, 'button_list.text');
        if (button.style !== undefined && ![1, 2, 3, 4].includes(button.style as number)) report.error('button_list.style must be 1–4');
        const buttonType = button.type ?? 0;
        if (buttonType === 0) actionKeys.push(button.key);
        else if (buttonType === 1) report.url(button.url, 'button_list.url');
        else report.error('button_list.type must be 0 (callback) or 1 (url)');
      }
      if (card.button_selection !== undefined) {
        const selection = asObject(card.button_selection) ?? {};
        questionKeys.push(selection.question_key);
        checkOptions(selection, WECOM.selectOptions, 'button_selection', report);
      }
      break;
    }
    case 'vote_interaction': {
      const checkbox = asObject(card.checkbox);
      if (!checkbox) {
        report.error('checkbox is required');
      } else {
        questionKeys.push(checkbox.question_key);
        const mode = checkbox.mode ?? 0;
        if (mode !== 0 && mode !== 1) report.error('checkbox.mode must be 0 (single) or 1 (multiple)');
        const options = report.list(checkbox.option_list, WECOM.voteOptions.min, WECOM.voteOptions.max, 'checkbox.option_list');
        optionIds(options, 'checkbox.option_list', report);
        for (const option of options) {
          if (report.text(option.text, 'checkbox.option_list.text')) report.soft(option.text, WECOM.soft.voteOptionText, 'checkbox.option_list.text');
          if (typeof option.is_checked !== 'boolean') report.error('checkbox.option_list.is_checked is required (boolean)');
        }
        if (mode === 0 && options.filter((option) => option.is_checked === true).length > 1) {
          report.error('a single-choice checkbox has more than one option checked');
        }
      }
      actionKeys.push(submitKey(card, report));
      break;
    }
    case 'multiple_interaction': {
      for (const select of report.list(card.select_list, WECOM.selects.min, WECOM.selects.max, 'select_list')) {
        questionKeys.push(select.question_key);
        checkOptions(select, WECOM.selectOptions, 'select_list', report);
      }
      actionKeys.push(submitKey(card, report));
      break;
    }
  }
  checkKeys(actionKeys, 'key', report);
  checkKeys(questionKeys, 'question_key', report);
}

function submitKey(card: Json, report: Report): unknown {
  const submit = asObject(card.submit_button);
  if (!submit) {
    report.error('submit_button is required');
    return undefined;
  }
  if (submit.text !== undefined) report.text(submit.text, 'submit_button.text');
  return submit.key;
}

function checkOptions(select: Json, count: { min: number; max: number }, where: string, report: Report): void {
  const options = report.list(select.option_list, count.min, count.max, `${where}.option_list`);
  for (const option of options) report.text(option.text, `${where}.option_list.text`);
  const ids = optionIds(options, `${where}.option_list`, report);
  if (select.selected_id !== undefined && !ids.includes(select.selected_id as string)) {
    report.error(`${where}.selected_id "${String(select.selected_id)}" is not one of its options`);
  }
}

function optionIds(options: Json[], where: string, report: Report): string[] {
  const ids: string[] = [];
  for (const option of options) {
    if (!report.text(option.id, `${where}.id`)) continue;
    report.bytes(option.id, WECOM.optionIdMaxBytes, `${where}.id`);
    ids.push(option.id);
  }
  if (new Set(ids).size !== ids.length) report.error(`${where} ids must be unique`);
  return ids;
}

function checkKeys(keys: unknown[], what: string, report: Report): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (!report.text(key, what)) continue;
    report.bytes(key, WECOM.keyMaxBytes, what);
    if (!KEY.test(key)) report.error(`${what} "${key}" may contain only A-Z a-z 0-9 _ - (policy)`);
    if (seen.has(key)) report.error(`${what} "${key}" is not unique within the card`);
    seen.add(key);
  }
}

/**
 * Checks one DingTalk message: a generic-template card instance (docs/dingtalk.md §4), an app
 * work notice `msg` (§3, snake_case) or, with `via: 'robot'`, a custom robot body (§6,
 * camelCase).
 *
 * Invariant: a card with no errors has ≤ 64-character `outTrackId`, only string params
 * within 100 B / 1 KB, and params our template understands; a notice with no errors is
 * within 2048 bytes as JSON, uses the right field spelling and carries `uniqueTag`.
 */
export function checkDingtalkMessage(message: DingtalkMessage, options: DingtalkCheckOptions = {}): LimitReport {
  const report = new Report();
  if (message.kind === 'card') {
    if (options.via === 'robot') report.error('a group robot cannot send interactive cards');
    checkCard(message, options.genericTemplate ?? true, report);
  } else if (message.kind === 'notice') {
    const msg = asObject(message.msg);
    if (!msg) report.error('notice msg must be an object');
    else if (options.via === 'robot') checkRobotBody(msg, report);
    else checkNoticeMsg(msg, report);
    if (msg && options.uniqueTag !== undefined && !JSON.stringify(msg).includes(JSON.stringify(options.uniqueTag).slice(1, -1))) {
      report.error(`notice text does not contain its uniqueTag "${options.uniqueTag}" (DingTalk drops same content once a day)`);
    }
  } else {
    report.error(`unknown DingTalk message kind ${String((message as { kind?: unknown }).kind)}`);
  }
  return report;
}

function checkCard(card: { outTrackId: string; cardParamMap: Record<string, string> }, generic: boolean, report: Report): void {
  if (report.text(card.outTrackId, 'outTrackId') && charLength(card.outTrackId) > DINGTALK.outTrackIdMaxChars) {
    report.error(`outTrackId is ${charLength(card.outTrackId)} characters; limit ${DINGTALK.outTrackIdMaxChars}`);
  }
  const params = asObject(card.cardParamMap);
  if (!params) {
    report.error('cardParamMap must be an object');
    return;
  }
  for (const [key, value] of Object.entries(params)) {
    if (key === '') report.error('cardParamMap has an empty key');
    report.bytes(key, DINGTALK.paramKeyMaxBytes, `cardParamMap key "${key.slice(0, 20)}"`);
    if (typeof value !== 'string') {
      report.error(`cardParamMap.${key} must be a string (got ${value === null ? 'null' : typeof value}); pass JSON text`);
      continue;
    }
    report.bytes(value, DINGTALK.paramValueMaxBytes, `cardParamMap.${key}`);
  }
  if (generic) checkGenericTemplate(params, report);
}

function parseList(params: Json, key: string, report: Report): Json[] {
  const text = params[key];
  if (typeof text !== 'string') return [];
  try {
    const value: unknown = JSON.parse(text);
    return report.list(value, 0, Number.MAX_SAFE_INTEGER, `cardParamMap.${key}`);
  } catch {
    report.error(`cardParamMap.${key} must be JSON text of a list`);
    return [];
  }
}

function checkGenericTemplate(params: Json, report: Report): void {
  for (const key of GENERIC_TEMPLATE_VARIABLES) {
    if (params[key] === undefined) report.error(`cardParamMap.${key} is missing (generic template variable)`);
  }
  for (const key of Object.keys(params)) {
    if (!(GENERIC_TEMPLATE_VARIABLES as readonly string[]).includes(key)) report.warn(`cardParamMap.${key} is not a variable of the generic template`);
  }
  if (params.title === '') report.error('cardParamMap.title must not be empty');
  if (typeof params.answered === 'string' && params.answered !== 'true' && params.answered !== 'false') {
    report.error("cardParamMap.answered must be 'true' or 'false'");
  }
  if (params.answered === 'true' && params.answerText === '') report.error('an answered card needs answerText');
  if (typeof params.link === 'string' && params.link !== '' && !HTTP_URL.test(params.link)) report.error('cardParamMap.link must be an http(s) URL');
  for (const field of parseList(params, 'fields', report)) {
    report.text(field.label, 'fields[].label');
    if (typeof field.value !== 'string') report.error('fields[].value must be a string');
  }
  const keys: unknown[] = [];
  for (const button of parseList(params, 'buttons', report)) {
    report.text(button.text, 'buttons[].text');
    keys.push(button.key);
    if (button.url !== undefined) report.url(button.url, 'buttons[].url');
    if (button.style !== undefined && !['primary', 'default', 'danger'].includes(button.style as string)) {
      report.error('buttons[].style must be primary, default or danger');
    }
  }
  checkKeys(keys, 'buttons[].key', report);
  const questionKeys: unknown[] = [];
  for (const select of parseList(params, 'selects', report)) {
    questionKeys.push(select.questionKey);
    report.text(select.title, 'selects[].title');
    const options = report.list(select.options, 1, Number.MAX_SAFE_INTEGER, 'selects[].options');
    for (const option of options) report.text(option.text, 'selects[].options[].text');
    const ids = optionIds(options, 'selects[].options', report);
    if (select.selected !== undefined) {
      const selected = Array.isArray(select.selected) ? select.selected : [];
      if (!Array.isArray(select.selected) || selected.some((id) => !ids.includes(id as string))) {
        report.error('selects[].selected must list ids of its options');
      }
    }
  }
  checkKeys(questionKeys, 'selects[].questionKey', report);
}

const CAMEL_CASE_NOTICE_FIELDS = ['actionCard', 'singleTitle', 'singleURL', 'btnOrientation', 'btns', 'actionURL', 'messageUrl', 'picUrl'];
const SNAKE_CASE_ROBOT_FIELDS = ['action_card', 'single_title', 'single_url', 'btn_orientation', 'btn_json_list', 'action_url', 'message_url', 'pic_url'];

/** Field names used anywhere in a JSON value (to catch the other API's spelling). */
function fieldNames(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((entry) => fieldNames(entry, into));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(value)) {
      into.add(key);
      fieldNames(entry, into);
    }
  }
  return into;
}

function checkNoticeMsg(msg: Json, report: Report): void {
  report.bytes(JSON.stringify(msg), DINGTALK.noticeMsgMaxBytes, 'work notice msg (JSON)');
  const names = fieldNames(msg);
  for (const name of CAMEL_CASE_NOTICE_FIELDS) {
    if (names.has(name)) report.error(`${name} is the robot's spelling; work notices use snake_case`);
  }
  const body = asObject(msg[msg.msgtype as string]);
  switch (msg.msgtype) {
    case 'text':
      report.text(body?.content, 'text.content');
      break;
    case 'markdown':
      report.text(body?.title, 'markdown.title');
      report.text(body?.text, 'markdown.text');
      break;
    case 'action_card': {
      report.text(body?.title, 'action_card.title');
      report.text(body?.markdown, 'action_card.markdown');
      if (body?.single_title !== undefined || body?.single_url !== undefined) {
        if (report.text(body.single_title, 'action_card.single_title') && charLength(body.single_title) > DINGTALK.actionCardSingleTitleMaxChars) {
          report.error(`action_card.single_title is ${charLength(body.single_title)} characters; limit ${DINGTALK.actionCardSingleTitleMaxChars}`);
        }
        report.url(body.single_url, 'action_card.single_url', DINGTALK.actionCardSingleUrlMaxChars);
      } else if (body?.btn_json_list !== undefined) {
        if (body.btn_orientation !== '0' && body.btn_orientation !== '1') report.error('action_card.btn_orientation must be "0" or "1" with btn_json_list');
        for (const button of report.list(body.btn_json_list, 1, Number.MAX_SAFE_INTEGER, 'action_card.btn_json_list')) {
          report.text(button.title, 'action_card.btn_json_list.title');
          report.url(button.action_url, 'action_card.btn_json_list.action_url');
        }
      } else {
        report.error('action_card needs single_title + single_url or btn_orientation + btn_json_list');
      }
      break;
    }
    case 'oa':
    case 'link':
    case 'image':
    case 'voice':
    case 'file':
      if (!body) report.error(`${String(msg.msgtype)} body is required`);
      break;
    default:
      report.error(`unsupported work notice msgtype ${String(msg.msgtype)}`);
  }
}

function checkRobotBody(msg: Json, report: Report): void {
  report.bytes(JSON.stringify(msg), DINGTALK.robotBodyMaxBytes, 'robot message (JSON)');
  const names = fieldNames(msg);
  for (const name of SNAKE_CASE_ROBOT_FIELDS) {
    if (names.has(name)) report.error(`${name} is the work notice's spelling; the robot uses camelCase`);
  }
  const body = asObject(msg[msg.msgtype as string]);
  switch (msg.msgtype) {
    case 'text':
      report.text(body?.content, 'text.content');
      break;
    case 'markdown':
      report.text(body?.title, 'markdown.title');
      report.text(body?.text, 'markdown.text');
      break;
    case 'actionCard':
      report.text(body?.title, 'actionCard.title');
      report.text(body?.text, 'actionCard.text');
      break;
    case 'link':
    case 'feedCard':
      if (!body) report.error(`${String(msg.msgtype)} body is required`);
      break;
    default:
      report.error(`unsupported robot msgtype ${String(msg.msgtype)}`);
  }
}

/** Both halves of a rendered message, each against its platform. */
export function checkRenderedMessage(
  rendered: RenderedMessage,
  options: { via?: 'app' | 'robot'; uniqueTag?: string; use?: 'send' | 'update' } = {},
): { wecom: LimitReport; dingtalk: LimitReport } {
  return {
    wecom: checkWecomMessage(rendered.wecom, { via: options.via, use: options.use }),
    dingtalk: checkDingtalkMessage(rendered.dingtalk, { via: options.via, uniqueTag: options.uniqueTag }),
  };
}
