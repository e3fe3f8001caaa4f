import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, shortText } from './columns';

/**
 * A customer (客户档案) of an office, imported from its inquiry sheet (询盘统计表, docs/rules.md
 * §8): who they are, how to reach them (phone first, then chat, then email), and their latest
 * inquiry. Campaign calls are visits naming the customer (`visits.customerId` = this id).
 * An office knows a customer once by phone and once by external id (unique per office).
 */
@Entity('customers')
@Index('uq_customers_phone', ['officeId', 'phone'], { unique: true })
@Index('uq_customers_external', ['officeId', 'externalId'], { unique: true })
@Index('idx_customers_category', ['officeId', 'category'])
export class Customer {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column(shortText(64))
  officeId: string;

  /** The customer's id in the company's own system (CRM, sales sheet), when it has one. */
  @Column(shortText(64, { nullable: true }))
  externalId: string | null;

  @Column(shortText(100))
  name: string;

  @Column(shortText(200, { nullable: true }))
  company: string | null;

  /** Normalised (src/customers/phone.ts): 13800138000 for a mainland number, +85291234567 abroad. */
  @Column(shortText(32, { nullable: true }))
  phone: string | null;

  @Column(shortText(254, { nullable: true }))
  email: string | null;

  @Column(shortText(64, { nullable: true }))
  wecomUserId: string | null;

  @Column(shortText(64, { nullable: true }))
  wecomExternalUserId: string | null;

  @Column(shortText(64, { nullable: true }))
  dingtalkUserId: string | null;

  @Column(shortText(64, { nullable: true }))
  region: string | null;

  /** 客户分类: what campaigns select customers by. */
  @Column(shortText(64, { nullable: true }))
  category: string | null;

  /** The inquiry's local date, YYYY-MM-DD. */
  @Column(shortText(10, { nullable: true }))
  inquiryDate: string | null;

  @Column(shortText(100, { nullable: true }))
  product: string | null;

  /** 询盘内容, in the customer's words. */
  @Column({ type: 'text', nullable: true })
  inquiry: string | null;

  @Column(instant({ nullable: false }))
  createdAt: Date;

  @Column(instant({ nullable: false }))
  updatedAt: Date;
}
