import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant, json, key, shortText } from './columns';

/** The four purposes a follow-up campaign may serve (docs/rules.md §8, machinery 4.1). */
export type CampaignPurpose = 'image' | 'relation' | 'sales_process' | 'inquiry';

/** One question of a campaign's own question set; answers are stored in `visits.details[key]`. */
export interface CampaignQuestion {
  key: string;
  text: string;
  type: 'rating' | 'choice' | 'text';
  /** The choices of a `choice` question. */
  options?: string[];
}

/** How a campaign's callers reach a customer, in the order tried: phone first (machinery 4.3(1)). */
export type CampaignMethod = 'phone' | 'chat' | 'email';

/** Whom a campaign calls: the office's customers of a category, or a list of customer ids. */
export interface CampaignSelection {
  category?: string | null;
  ids?: number[] | null;
  /** A property visit plan's residents: those of the units and those listed. */
  residents?: { unitIds: string[] | null; ids: string[] | null };
}

/**
 * A customer follow-up campaign (客户回访名单) or a property visit plan (走访计划), docs/rules.md §8:
 * one visit (kind `campaign`, `visits.campaignId` = this id) per customer, spread over the callers
 * and the days from `startsOn` to `endsOn` (the office's local dates, inclusive).
 */
@Entity('campaigns')
@Index('idx_campaigns_office', ['officeId', 'endsOn'])
export class Campaign {
  @PrimaryColumn(key(64))
  id: string;

  @Column(shortText(64))
  officeId: string;

  @Column(shortText(200))
  name: string;

  @Column(json({ nullable: false }))
  purposes: CampaignPurpose[];

  @Column(json({ nullable: false }))
  questions: CampaignQuestion[];

  /** First and last day of calls, local `YYYY-MM-DD`. */
  @Column(shortText(10))
  startsOn: string;

  @Column(shortText(10))
  endsOn: string;

  @Column(json({ nullable: false }))
  selection: CampaignSelection;

  /** The callers, by staff id. */
  @Column(json({ nullable: false }))
  staffIds: string[];

  @Column(json({ nullable: false }))
  methods: CampaignMethod[];

  /** Who set it up: `admin`, or a staff id signed in to the console. */
  @Column(shortText(64))
  createdBy: string;

  @Column(instant({ nullable: false }))
  createdAt: Date;
}
