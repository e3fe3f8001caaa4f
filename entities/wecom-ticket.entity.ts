import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, key, shortText } from './columns';

/** Which JS-SDK ticket: the company's (`get_jsapi_ticket`, signs `wx.config`) or the app's (`ticket/get?type=agent_config`, signs `wx.agentConfig`). */
export type WecomTicketKind = 'corp' | 'agent';

/**
 * A WeCom JS-SDK ticket, cached in the database so every instance signs with the same one and
 * WeCom's hourly ticket quota (docs/wecom.md §5) is spent once per lifetime, not once per process.
 */
@Entity('wecom_tickets')
export class WecomTicket {
  /** `<corpId>:<agentId>`: the app whose access token fetched it. */
  @PrimaryColumn(key(96))
  app: string;

  @PrimaryColumn(key(16))
  kind: WecomTicketKind;

  @Column(shortText(512))
  value: string;

  /** From here on the ticket is treated as stale and fetched again (WeCom's `expires_in` less a margin). */
  @Column(instant({ nullable: false }))
  refreshAt: Date;

  @Column(instant({ nullable: false }))
  fetchedAt: Date;
}
