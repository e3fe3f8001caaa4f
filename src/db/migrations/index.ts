import { InitialSchema1764200000000 } from './1764200000000-initial-schema';
import { OutboxPacingIndex1764300000000 } from './1764300000000-outbox-pacing-index';
import { OutboxDeliveryCheck1764350000000 } from './1764350000000-outbox-delivery-check';
import { ReportsAndArchive1764400000000 } from './1764400000000-reports-and-archive';
import { StaffWorkloads1764500000000 } from './1764500000000-staff-workloads';
import { VisitLifecycle1765000000000 } from './1765000000000-visit-lifecycle';
import { VisitSubjects1765010000000 } from './1765010000000-visit-subjects';
import { ConstructionWarranty1765200000000 } from './1765200000000-construction-warranty';
import { RatesAndReceipt1765800000000 } from './1765800000000-rates-and-receipt';
import { WarrantyFollowUps1766100000000 } from './1766100000000-warranty-follow-ups';
import { WechatCustomers1766200000000 } from './1766200000000-wechat-customers';
import { WecomTickets1766300000000 } from './1766300000000-wecom-tickets';
import { Customers1766400000000 } from './1766400000000-customers';
import { Campaigns1766500000000 } from './1766500000000-campaigns';
import { CampaignGuidance1766610000000 } from './1766610000000-campaign-guidance';
import { VisitTallies1766700000000 } from './1766700000000-visit-tallies';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [
  InitialSchema1764200000000,
  OutboxPacingIndex1764300000000,
  OutboxDeliveryCheck1764350000000,
  ReportsAndArchive1764400000000,
  StaffWorkloads1764500000000,
  VisitLifecycle1765000000000,
  VisitSubjects1765010000000,
  ConstructionWarranty1765200000000,
  RatesAndReceipt1765800000000,
  WarrantyFollowUps1766100000000,
  WechatCustomers1766200000000,
  WecomTickets1766300000000,
  Customers1766400000000,
  Campaigns1766500000000,
  CampaignGuidance1766610000000,
  VisitTallies1766700000000,
];
