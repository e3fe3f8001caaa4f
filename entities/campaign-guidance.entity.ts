import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, shortText } from './columns';

/**
 * The supervisor's guidance (指导意见) on a campaign's weekly report (客户回访报告, docs/rules.md §8):
 * append-only, so every word given stays in the history; for one caller (`staffId`) or for all of
 * the campaign's callers (null). The first entry of a week makes that week's report reviewed.
 */
@Entity('campaign_guidance')
@Index('idx_campaign_guidance_week', ['campaignId', 'week', 'id'])
export class CampaignGuidance {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column(shortText(64))
  campaignId: string;

  @Column(shortText(64))
  officeId: string;

  /** The report's ISO week, `YYYY-Www`. */
  @Column(shortText(8))
  week: string;

  /** The caller the guidance is for; null: every caller of the campaign. */
  @Column(shortText(64, { nullable: true }))
  staffId: string | null;

  /** The supervisor who wrote it. */
  @Column(shortText(64))
  by: string;

  @Column({ type: 'text' })
  text: string;

  @Column(instant({ nullable: false }))
  createdAt: Date;
}
