import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Campaign, Customer, StaffMember, Visit, VisitHistoryEntry } from '../../entities';
import { Clock } from '../clock';
import { ConflictError, DomainError, NotFoundError } from '../errors';
import { validate } from '../http/validation';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { IngestResult, WorkOrderIngest } from '../workorders/work-order-ingest.service';
import { WorkOrderEvent } from '../workorders/work-order-event.schema';

export const complaintBody = z
  .object({
    staffId: z.string().min(1).max(64),
    severity: z.enum(['major', 'general'], { errorMap: () => ({ message: 'must be major or general' }) }),
    department: z.string().trim().min(1).max(64),
    title: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/**
 * A complaint heard on a campaign call becomes a work order of kind `complaint` (docs/rules.md
 * §8): the caller files it from the call's record, and it enters through the work-order ingest
 * like one from the work-order system — completed on the call (the complaint was taken and
 * recorded there), so it gets its own follow-up visit by the complaint rules (§2). The work
 * order is `CALL-<visit id>`; filing it again changes nothing. The call's history notes it.
 */
export class CallComplaints {
  constructor(private readonly deps: { dataSource: DataSource; clock: Clock; ingest: WorkOrderIngest; lifecycle: VisitLifecycle }) {}

  async file(visitId: number, input: unknown): Promise<{ workOrderId: string; result: IngestResult }> {
    const body = validate(complaintBody, input);
    const repo = this.deps.dataSource.manager;
    const visit = await repo.findOneBy(Visit, { id: visitId });
    if (!visit || visit.kind !== 'campaign' || !visit.customerId) throw new NotFoundError(`campaign call ${visitId}`);
    const complaint = typeof visit.details?.complaints === 'string' ? visit.details.complaints : '';
    if (!visit.recordedAt || !complaint) throw new ConflictError('no_complaint', `visit ${visitId} has no recorded complaint (record the call with complaints first)`);
    const [customer, campaign, caller] = await Promise.all([
      repo.findOneBy(Customer, { id: Number(visit.customerId) }),
      repo.findOneBy(Campaign, { id: visit.campaignId! }),
      repo.findOneBy(StaffMember, { officeId: visit.officeId, id: body.staffId }),
    ]);
    if (!customer || !campaign) throw new NotFoundError(`campaign call ${visitId}`);
    const now = this.deps.clock.now();
    const workOrderId = `CALL-${visitId}`;
    const event: WorkOrderEvent = {
      eventId: `campaign-call-${visitId}-complaint`,
      type: 'work_order.completed',
      occurredAt: now,
      workOrder: {
        id: workOrderId,
        officeId: visit.officeId,
        kind: 'complaint',
        severity: body.severity,
        department: body.department,
        matterKey: `campaign:${campaign.id}`,
        title: body.title ?? `${campaign.name}：客户投诉`.slice(0, 200),
        unitId: null,
        resident: {
          id: `customer-${customer.id}`,
          name: customer.name,
          phone: customer.phone,
          wecomUserId: customer.wecomUserId,
          wecomExternalUserId: customer.wecomExternalUserId,
          wecomContactOwner: customer.wecomExternalUserId ? (caller?.wecomUserId ?? null) : null,
          dingtalkUserId: customer.dingtalkUserId,
        },
        completedAt: now,
      },
    };
    // The call's author, or a supervisor or manager of its office, files it.
    if (!caller?.active || !(visit.recordedBy === caller.id || caller.roles.some((r) => r === 'supervisor' || r === 'manager'))) {
      throw new DomainError('forbidden', `${body.staffId} did not record visit ${visitId}`, 403);
    }
    const result = await this.deps.ingest.ingest(event, { source: 'campaign_call', visitId, staffId: body.staffId });
    // The work order and the call's note are two transactions (the ingest batches its own): a
    // filing repeated after a failure between them finds the work order stored and adds the
    // note then, once.
    if (result.status === 'accepted' || (result.status === 'duplicate' && !(await this.noted(visitId)))) {
      await this.deps.lifecycle.run(visitId, { type: 'note_staff_action', action: 'complaint_filed', details: { workOrderId, severity: body.severity, department: body.department } }, { kind: 'staff', id: body.staffId });
    }
    return { workOrderId, result };
  }

  private async noted(visitId: number): Promise<boolean> {
    return this.deps.dataSource.manager.existsBy(VisitHistoryEntry, { visitId, action: 'complaint_filed' });
  }
}
