import { Resident, Visit } from '../../entities';
import { ChannelName } from '../channels/channel';

/**
 * How the resident will be asked (docs/api.md "How a resident is reached"): an interactive
 * card for a member of the office channel's directory, the survey link through a staff
 * member's customer-contact message for a WeChat customer, else nothing in chat (the visitors
 * phone, or pass on the link).
 */
export function routeOf(resident: Resident | null, channel: ChannelName): Visit['residentRoute'] {
  if (!resident) return 'none';
  if (channel === 'wecom') {
    if (resident.wecomUserId) return 'card';
    if (resident.wecomExternalUserId) return 'external';
    return 'none';
  }
  return resident.dingtalkUserId ? 'card' : 'none';
}
