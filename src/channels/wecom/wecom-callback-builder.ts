import { encrypt, getSignature } from '@wecom/crypto';

/** The three secrets/ids of an app's callback URL: signing token, AES key, corpid (receiveid). */
export interface WecomCallbackKeys {
  token: string;
  encodingAesKey: string;
  corpId: string;
}

/** The query string WeCom puts on a callback POST. */
export interface WecomCallbackQuery {
  msg_signature: string;
  timestamp: string;
  nonce: string;
}

/** An encrypted callback as it travels: query parameters and the outer XML body. */
export interface EncryptedCallback {
  query: WecomCallbackQuery;
  body: string;
}

/** Wraps `text` in CDATA, splitting any `]]>` so the section cannot be closed early. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/**
 * Builds what WeCom would POST for `innerXml`, with the real crypto (§4.2): the inner XML
 * encrypted with `receiveid = corpId`, the envelope `<xml><ToUserName/><AgentID/><Encrypt/></xml>`,
 * and `msg_signature` over (token, timestamp, nonce, Encrypt). Pure apart from the random
 * prefix; pass `random` (16 bytes) for byte-identical output. The fake WeCom server and the
 * sandbox use it, so their callbacks travel the same path as real ones.
 */
export function encryptCallback(
  keys: WecomCallbackKeys,
  innerXml: string,
  at: { timestamp: number | string; nonce: string; agentId?: number; random?: Buffer },
): EncryptedCallback {
  const encrypted = encrypt(keys.encodingAesKey, innerXml, keys.corpId, at.random);
  const timestamp = String(at.timestamp);
  const agent = at.agentId === undefined ? '' : `<AgentID>${cdata(String(at.agentId))}</AgentID>`;
  return {
    query: { msg_signature: getSignature(keys.token, timestamp, at.nonce, encrypted), timestamp, nonce: at.nonce },
    body: `<xml><ToUserName>${cdata(keys.corpId)}</ToUserName>${agent}<Encrypt>${cdata(encrypted)}</Encrypt></xml>`,
  };
}

/** Builds the query of a URL-verification GET (§4.3) whose decrypted echo is `echo`. */
export function encryptEchostr(
  keys: WecomCallbackKeys,
  echo: string,
  at: { timestamp: number | string; nonce: string; random?: Buffer },
): WecomCallbackQuery & { echostr: string } {
  const echostr = encrypt(keys.encodingAesKey, echo, keys.corpId, at.random);
  const timestamp = String(at.timestamp);
  return { msg_signature: getSignature(keys.token, timestamp, at.nonce, echostr), timestamp, nonce: at.nonce, echostr };
}

/** A card tap (`template_card_event`) or a card-menu tap (`template_card_menu_event`). */
export interface CardEventXmlInput {
  corpId: string;
  /** The userid of the member who tapped. */
  fromUser: string;
  /** Unix seconds. */
  createTime: number;
  event?: 'template_card_event' | 'template_card_menu_event';
  eventKey: string;
  taskId: string;
  cardType: string;
  responseCode: string;
  agentId: number;
  /** Answers of selects/checkboxes: question key → option ids (one or more each). */
  selections?: Record<string, string[]>;
}

/** The decrypted XML WeCom sends for a card tap (§4.4), `SelectedItems` included when given. */
export function buildCardEventXml(input: CardEventXmlInput): string {
  const selections = Object.entries(input.selections ?? {});
  const items =
    selections.length === 0
      ? ''
      : `<SelectedItems>${selections
          .map(
            ([question, options]) =>
              `<SelectedItem><QuestionKey>${cdata(question)}</QuestionKey><OptionIds>${options
                .map((option) => `<OptionId>${cdata(option)}</OptionId>`)
                .join('')}</OptionIds></SelectedItem>`,
          )
          .join('')}</SelectedItems>`;
  return (
    `<xml><ToUserName>${cdata(input.corpId)}</ToUserName><FromUserName>${cdata(input.fromUser)}</FromUserName>` +
    `<CreateTime>${input.createTime}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
    `<Event>${cdata(input.event ?? 'template_card_event')}</Event><EventKey>${cdata(input.eventKey)}</EventKey>` +
    `<TaskId>${cdata(input.taskId)}</TaskId><CardType>${cdata(input.cardType)}</CardType>` +
    `<ResponseCode>${cdata(input.responseCode)}</ResponseCode><AgentID>${input.agentId}</AgentID>${items}</xml>`
  );
}

/** A member's plain text message to the app. */
export interface TextXmlInput {
  corpId: string;
  fromUser: string;
  createTime: number;
  content: string;
  /** WeCom's 64-bit message id, as a string (it exceeds Number's precision). */
  msgId: string;
  agentId: number;
}

/** The decrypted XML WeCom sends for a text message (`MsgType = text`). */
export function buildTextXml(input: TextXmlInput): string {
  return (
    `<xml><ToUserName>${cdata(input.corpId)}</ToUserName><FromUserName>${cdata(input.fromUser)}</FromUserName>` +
    `<CreateTime>${input.createTime}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(input.content)}</Content><MsgId>${input.msgId}</MsgId><AgentID>${input.agentId}</AgentID></xml>`
  );
}
