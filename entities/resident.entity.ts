import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, shortText, key } from './columns';

/**
 * A resident (业户), as last described by the work-order system. Personal data lives only
 * here and in free-text answers, so retention can anonymise it in one place.
 */
@Entity('residents')
export class Resident {
  @PrimaryColumn(key(64))
  officeId: string;

  @PrimaryColumn(key(64))
  id: string;

  @Column(shortText(100, { nullable: true }))
  name: string | null;

  @Column(shortText(32, { nullable: true }))
  phone: string | null;

  /** Directory member id: interactive cards reach this resident. */
  @Column(shortText(64, { nullable: true }))
  wecomUserId: string | null;

  /** WeChat customer of a staff member: reached by a customer-contact message with a link. */
  @Column(shortText(64, { nullable: true }))
  wecomExternalUserId: string | null;

  /** The staff userid owning the external contact, when the work-order system names one. */
  @Column(shortText(64, { nullable: true }))
  wecomContactOwner: string | null;

  @Column(shortText(64, { nullable: true }))
  dingtalkUserId: string | null;

  /** Their openid at the office's WeChat Official Account (公众号), as the work-order system knows it. */
  @Column(shortText(64, { nullable: true }))
  wechatOpenId: string | null;

  /**
   * The openid learnt when they opened a survey link inside WeChat (web authorisation): kept
   * apart from the event's fields, so a later event that names none does not forget it.
   */
  @Column(shortText(64, { nullable: true }))
  learntOpenId: string | null;

  @Column(instant())
  anonymisedAt: Date | null;

  @Column(instant({ nullable: false }))
  updatedAt: Date;
}
