import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, json, shortText, key } from './columns';

import type { OfficePolicyInput } from '../src/rules/office-policy';

/** Per-office settings that override the defaults of the rules (all optional; see resolvePolicy). */
export type OfficePolicy = OfficePolicyInput;

/** A property office (管理处): every work order, visit and statistic belongs to one. */
@Entity('offices')
export class Office {
  @PrimaryColumn(key(64))
  id: string;

  @Column(shortText(200))
  name: string;

  /** IANA zone in which this office's days, months, quarters and quiet hours are reckoned. */
  @Column(shortText(64))
  timeZone: string;

  /** The chat platform this office uses; null = the configured default. */
  @Column(shortText(16, { nullable: true }))
  channel: 'wecom' | 'dingtalk' | null;

  /** Rate targets per kind (fractions 0–1) overriding docs/rules.md's defaults. */
  @Column(json())
  rateTargets: Partial<Record<string, number>> | null;

  @Column(json())
  policy: OfficePolicy | null;

  @Column(instant({ nullable: false }))
  createdAt: Date;

  @Column(instant({ nullable: false }))
  updatedAt: Date;
}
