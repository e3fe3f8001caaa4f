import type { RenderedMessage } from '../src/channels/channel';
import type { CardField, CardModel } from './components/card-model';
import { inlineText } from './components/inline-text';
import { renderCard } from './components/render-card';
import { truncateChars } from './components/utf8';

/** What the caller tapped: 已联系 (reached) or 未接通 (not reached). */
export type CampaignCallAnswer = 'reached' | 'not_reached';

/** The customer a campaign call is to, as the inquiry sheet described them. */
export interface CallCustomer {
  name: string;
  company: string | null;
  phone: string | null;
  region: string | null;
  product: string | null;
  inquiry: string | null;
}

/** The resident a property visit plan's call is to (走访计划): their unit and how to reach them. */
export interface CallResident {
  name: string | null;
  unit: string | null;
  phone: string | null;
  /** How to reach them, in words (the route the property's visits take to them). */
  reach: string;
}

/** Props of the card of one campaign call in the caller's morning list. */
export interface CampaignCallProps {
  /** `hf_<visitId>_<created>_cc_<day>_<who>`. */
  cardId: string;
  officeName: string;
  campaignName: string;
  /** A follow-up campaign's customer; a visit plan's card names `resident` instead. */
  customer?: CallCustomer;
  resident?: CallResident;
  /** The call record form (signed link). */
  recordFormUrl: string;
  /** Set to render the card after the tap. */
  answered?: CampaignCallAnswer;
  /** Attempts so far, shown on a 未接通 card after the tap. */
  attempts?: number;
}

/** Callback keys: 已联系, 未接通; the record form is a link row. */
export const CAMPAIGN_CALL_KEYS = Object.freeze({ reached: 'call_reached', notReached: 'call_not_reached' } as const);

/** What the card says once tapped. */
export function campaignCallAnswered(answer: CampaignCallAnswer, attempts = 0): string {
  return answer === 'reached' ? '已联系，请填写回访记录' : `未接通（第 ${Math.max(attempts, 1)} 次），请换时间或换方式再联系`;
}

/**
 * One call of a caller's day (客户回访名单, docs/rules.md §8): who the customer is and what they
 * asked about, 已联系 (the call is under way) and 未接通 (an attempt, counted), and the record
 * form, which stays reachable from the greyed card.
 */
export function render(props: CampaignCallProps): RenderedMessage {
  const whom = props.resident ? residentPart(props.resident) : customerPart(props.customer ?? { name: '（客户已删除）', company: null, phone: null, region: null, product: null, inquiry: null });
  const model: CardModel = {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    title: whom.title,
    subtitle: truncateChars(inlineText(props.campaignName), 40),
    fields: [...whom.fields, { label: '回访记录', value: '填写记录', url: props.recordFormUrl }],
    body: whom.body,
    actions: [
      { kind: 'callback', text: '已联系', key: CAMPAIGN_CALL_KEYS.reached, style: 'primary' },
      { kind: 'callback', text: '未接通', key: CAMPAIGN_CALL_KEYS.notReached, style: 'default' },
    ],
    link: { text: '填写记录', url: props.recordFormUrl },
    answered: props.answered ? campaignCallAnswered(props.answered, props.attempts) : undefined,
  };
  return renderCard(model);
}

type CalleePart = { title: string; fields: CardField[]; body: string[] };

const row = (label: string, value: string | null, max = 30): CardField[] => (value ? [{ label, value: truncateChars(inlineText(value), max) }] : []);

function customerPart(c: CallCustomer): CalleePart {
  return {
    title: `客户回访：${truncateChars(inlineText(c.name), 20)}`,
    fields: [...row('公司', c.company), ...row('电话', c.phone), ...row('地区', c.region), ...row('产品', c.product)],
    body: c.inquiry ? [`询盘：${truncateChars(inlineText(c.inquiry), 120)}`] : ['先电话，未接通再线上沟通，最后邮件。'],
  };
}

/** A visit plan's resident: name, unit and how to reach them, in the property's order (online first, then the phone). */
function residentPart(r: CallResident): CalleePart {
  return {
    title: `业户走访：${truncateChars(inlineText(r.name ?? '（未留姓名）'), 20)}`,
    fields: [...row('单元', r.unit), ...row('电话', r.phone), ...row('联系方式', r.reach)],
    body: ['按联系方式先线上联系，未回复再打电话。'],
  };
}
