import { Office, QuarterArchive, WorkOrder } from '../../entities';
import { lockQuota, QuotaKey, releaseQuotaPlace, repairsOfMatterCompleted, setQuota, unqualifiedOnUnitSince } from '../db/sampling-quotas';
import { stopCountingForRate } from '../db/visit-store';
import { IngestBatch } from '../db/work-order-batch';
import { alwaysSelectReason } from '../rules/always-select';
import { WorkOrderKind } from '../rules/kinds';
import { OfficePolicy } from '../rules/office-policy';
import { quarterOf } from '../rules/quarter';
import { rateTargetFor } from '../rules/rate-target';
import { sampleWorkOrder } from '../rules/sample-work-order';

/**
 * Which completed work orders get a visit (docs/rules.md §2 "rate targets"): the pure rules
 * (sampleWorkOrder, alwaysSelectReason) decide; this asks the database what they need — the
 * unit's recent unqualified visits, earlier repairs of the matter, the quota of the office,
 * kind and quarter — and keeps the quota.
 */
export class WorkOrderSampler {
  /**
   * The quota sampler of docs/rules.md §2, per office, kind and quarter. A 100 % kind needs no
   * decision and locks no quota row, so completions of one kind do not queue behind each
   * other: its decisions are counted in the row when the batch finishes. Below 100 % the quota
   * row is locked for the rest of the transaction; the always-select questions are asked
   * before, to hold the lock briefly.
   */
  async sample(batch: IngestBatch, office: Office, order: WorkOrder, policy: OfficePolicy, zone: string): Promise<void> {
    const kind = order.kind as WorkOrderKind;
    const target = rateTargetFor(kind, (office.rateTargets ?? {}) as Partial<Record<WorkOrderKind, number>>);
    if (target >= 1) {
      Object.assign(order, { sampling: 'selected', samplingReason: 'full_rate', samplingTarget: target });
      batch.countDecision({ officeId: office.id, kind, quarter: order.quarter!, eligible: 1, selected: 1 });
      return;
    }
    const key: QuotaKey = { officeId: office.id, kind, quarter: order.quarter! };
    const decision = await batch.read(async (manager) => {
      const completedAt = order.completedAt ?? batch.now;
      // Repeat repairs go by the quarter the repairs were completed in (docs/rules.md §2).
      const completionQuarter = quarterOf(completedAt, zone);
      const always = alwaysSelectReason({
        kind,
        unqualifiedVisitOnUnitWithin90Days:
          order.unitId !== null && (await unqualifiedOnUnitSince(manager, office.id, order.unitId, new Date(completedAt.getTime() - policy.unqualifiedLookbackDays * 86_400_000))),
        earlierRepairsOfSameMatterOnUnitThisQuarter: kind === 'repair' ? await repairsOfMatterCompleted(manager, order, completionQuarter.from, completionQuarter.to) : 0,
      });
      const quota = await lockQuota(manager, key);
      const decided = sampleWorkOrder({ target, eligibleBefore: quota.eligible, selectedBefore: quota.selected, alwaysSelect: always });
      await setQuota(manager, key, { eligible: decided.eligible, selected: decided.selectedAfter });
      return decided;
    });
    Object.assign(order, {
      sampling: decision.selected ? 'selected' : 'not_sampled',
      samplingReason: decision.reason,
      samplingEligible: decision.eligible,
      samplingSelected: decision.selectedAfter,
      samplingTarget: target,
    });
  }

  /**
   * A reopened work order gives back its place in its quarter's quota and its visits stop
   * counting in the rates (unless that quarter is archived: its figures stay): its next
   * completion is sampled again, in its own quarter, as if new — the old selection no longer counts.
   */
  async release(batch: IngestBatch, order: WorkOrder): Promise<void> {
    if (order.sampling === null || order.quarter === null) return;
    const key: QuotaKey = { officeId: order.officeId, kind: order.kind, quarter: order.quarter };
    await batch.direct(async (manager) => {
      if (await manager.existsBy(QuarterArchive, { officeId: key.officeId, quarter: key.quarter })) return;
      await releaseQuotaPlace(manager, key, order.sampling === 'selected');
      await stopCountingForRate(manager, order.id);
    });
    Object.assign(order, { sampling: null, samplingReason: null, samplingEligible: null, samplingSelected: null, samplingTarget: null, quarter: null });
  }
}
