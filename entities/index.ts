import { Campaign } from './campaign.entity';
import { CampaignGuidance } from './campaign-guidance.entity';
import { Customer } from './customer.entity';
import { CustomerMessage } from './customer-message.entity';
import { InboundEvent } from './inbound-event.entity';
import { JobRun } from './job-run.entity';
import { Office } from './office.entity';
import { OutboundMessage } from './outbound-message.entity';
import { Project } from './project.entity';
import { QuarterArchiveChunk } from './quarter-archive-chunk.entity';
import { QuarterArchive } from './quarter-archive.entity';
import { QuarterlyReviewEntry } from './quarterly-review-entry.entity';
import { Resident } from './resident.entity';
import { SamplingQuota } from './sampling-quota.entity';
import { StaffMember } from './staff-member.entity';
import { StaffWorkload } from './staff-workload.entity';
import { VisitAssignee } from './visit-assignee.entity';
import { VisitHistoryEntry } from './visit-history-entry.entity';
import { Visit } from './visit.entity';
import { VisitTally } from './visit-tally.entity';
import { WarrantyRepair } from './warranty-repair.entity';
import { WecomTicket } from './wecom-ticket.entity';
import { WorkOrder } from './work-order.entity';

export * from './campaign.entity';
export * from './campaign-guidance.entity';
export * from './customer.entity';
export * from './customer-message.entity';
export * from './inbound-event.entity';
export * from './job-run.entity';
export * from './office.entity';
export * from './outbound-message.entity';
export * from './project.entity';
export * from './quarter-archive-chunk.entity';
export * from './quarter-archive.entity';
export * from './quarterly-review-entry.entity';
export * from './resident.entity';
export * from './sampling-quota.entity';
export * from './staff-member.entity';
export * from './staff-workload.entity';
export * from './visit-assignee.entity';
export * from './visit-history-entry.entity';
export * from './visit.entity';
export * from './visit-tally.entity';
export * from './warranty-repair.entity';
export * from './wecom-ticket.entity';
export * from './work-order.entity';

/** Every entity, for the data source. */
export const ENTITIES = [
  Office,
  StaffMember,
  StaffWorkload,
  Resident,
  WorkOrder,
  InboundEvent,
  Visit,
  VisitAssignee,
  VisitHistoryEntry,
  OutboundMessage,
  JobRun,
  SamplingQuota,
  QuarterArchive,
  QuarterArchiveChunk,
  QuarterlyReviewEntry,
  Project,
  WarrantyRepair,
  CustomerMessage,
  WecomTicket,
  Customer,
  Campaign,
  VisitTally,
  CampaignGuidance,
];
