import { And, EntityManager, In, LessThan, MoreThanOrEqual } from 'typeorm';
import { CustomerMessage, Resident } from '../../entities';
import { lockRows } from '../db/transaction';
import { capWindows, fullWindow } from '../rules/customer-cap';
import { fallbackRoute } from '../visits/resident-route';
import { CustomerAskFacts } from '../visits/visit-lifecycle.service';

/** Tasks that count against the customer's cap: those WeCom may still deliver, and those it did. */
export const COUNTED: CustomerMessage['status'][] = ['queued', 'created', 'sent'];

/**
 * What asking a WeChat customer depends on, read in the visit's transaction: the first period
 * of the customer's cap (docs/rules.md §3) already full with our own tasks, and the route after
 * theirs. The resident's row is locked first, so two instances asking the same customer at
 * once count one after the other and never both take the last place.
 */
export function customerAskFacts(options: { officialAccount: boolean }): CustomerAskFacts {
  return async (manager, visit, ctx) => {
    const resident = visit.residentId ? await manager.findOneBy(Resident, { officeId: visit.officeId, id: visit.residentId }) : null;
    const fallback = fallbackRoute(resident, { officialAccount: options.officialAccount && ctx.policy.officialAccount !== null });
    const externalUserId = resident?.wecomExternalUserId;
    if (!resident || !externalUserId) return { customerCapFull: null, fallback };
    await lockRows(manager, Resident, { officeId: resident.officeId, id: resident.id });
    const windows = capWindows(ctx.now, ctx.zone, ctx.policy.customerMessages.cap);
    const counts = await Promise.all(windows.map((w) => countTasks(manager, externalUserId, w.from, w.to)));
    return { customerCapFull: fullWindow(windows, counts)?.period ?? null, fallback };
  };
}

async function countTasks(manager: EntityManager, externalUserId: string, from: Date, to: Date): Promise<number> {
  return manager.count(CustomerMessage, { where: { route: 'external', externalUserId, status: In(COUNTED), createdAt: And(MoreThanOrEqual(from), LessThan(to)) } });
}
