import { Resident, ResidentRoute } from '../../entities';
import { ChannelName } from '../channels/channel';

/** What decides a WeChat customer's route besides the resident: the office's choices. */
export interface RouteOptions {
  /** The office's visitors send the link from the WeCom chat toolbar (policy `customerMessages.sidebar`). */
  sidebar?: boolean;
  /** The office has an Official Account template and the account is configured. */
  officialAccount?: boolean;
}

/** The office's route options: its policy's sidebar choice, and its Official Account when one is configured and the office has a template. */
export function officeRouteOptions(policy: { customerMessages: { sidebar: boolean }; officialAccount: unknown }, accountConfigured: boolean): RouteOptions {
  return { sidebar: policy.customerMessages.sidebar, officialAccount: accountConfigured && policy.officialAccount !== null };
}

/**
 * How the resident will be asked (docs/rules.md §3 "How a resident is reached"), the first
 * that applies, in this order:
 * 1. `card`: a member of the office channel's directory gets interactive cards;
 * 2. a WeChat customer of a staff member (WeCom only): `sidebar` when the office's visitors
 *    send the link from the chat toolbar, else `external`, a mass-send task the member confirms;
 * 3. `official_account`: a follower of the office's Official Account, by openid (known from the
 *    work order, or learnt on the survey page), gets a template message with the link;
 * 4. `none`: the visitors phone (with the link to pass on).
 * `fallbackRoute` gives the next one when a route fails at run time.
 */
export function routeOf(resident: Resident | null, channel: ChannelName, options: RouteOptions = {}): ResidentRoute {
  if (!resident) return 'none';
  if (channel === 'wecom' && resident.wecomUserId) return 'card';
  if (channel === 'dingtalk' && resident.dingtalkUserId) return 'card';
  if (channel === 'wecom' && resident.wecomExternalUserId) return options.sidebar ? 'sidebar' : 'external';
  return fallbackRoute(resident, options);
}

/** The route after a WeChat-customer route failed (cap reached, never sent, contact gone): the Official Account, else the phone. */
export function fallbackRoute(resident: Resident | null, options: RouteOptions): 'official_account' | 'none' {
  return options.officialAccount && openIdOf(resident) ? 'official_account' : 'none';
}

/** The resident's openid at the office's Official Account: from the work order, else the one learnt. */
export function openIdOf(resident: Resident | null): string | null {
  return resident?.wechatOpenId ?? resident?.learntOpenId ?? null;
}
