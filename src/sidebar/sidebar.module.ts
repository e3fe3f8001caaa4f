import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { WecomClient } from '../channels/wecom/wecom.client';
import { WecomJsapiTickets } from '../channels/wecom/wecom-jsapi-tickets';
import { WecomTokenCache } from '../channels/wecom/wecom-token';
import { Clock } from '../clock';
import { WecomSettings } from '../config/config';
import { SignedLinks } from '../survey/signed-link';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { sidebarRoutes } from './sidebar.routes';
import { SidebarService } from './sidebar.service';

/**
 * The WeCom chat sidebar, wired: a WeCom client sharing the app's access-token cache, the
 * JS-SDK tickets in the database, and the routes. Only with a WeCom app configured.
 */
export function sidebarModule(deps: {
  wecom: WecomSettings | null;
  tokens: WecomTokenCache;
  dataSource: DataSource;
  clock: Clock;
  links: SignedLinks;
  lifecycle: VisitLifecycle;
  publicBaseUrl: string;
  defaultTimeZone: string;
}): Router[] {
  const { wecom } = deps;
  if (!wecom) return [];
  const client = new WecomClient(wecom, { tokens: deps.tokens });
  const tickets = new WecomJsapiTickets({
    dataSource: deps.dataSource,
    clock: deps.clock,
    app: { corpId: wecom.corpId, agentId: wecom.agentId },
    fetch: (kind) => client.jsapiTicket(kind),
  });
  const sidebar = new SidebarService(deps);
  return [
    sidebarRoutes({
      clock: deps.clock,
      links: deps.links,
      sidebar,
      client,
      tickets,
      wecom: { corpId: wecom.corpId, agentId: wecom.agentId, jssdkUrl: wecom.jssdkUrl },
      publicBaseUrl: deps.publicBaseUrl,
    }),
  ];
}
