import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { Office, Resident, Visit } from '../../entities';
import { Clock } from '../clock';
import { log } from '../log';
import { resolvePolicy } from '../rules/office-policy';
import { SignedLinks } from '../survey/signed-link';
import { openIdOf } from '../visits/resident-route';
import { OfficialAccountClient } from './official-account.client';

/**
 * Learns a resident's openid at the office's Official Account when they open their survey link
 * inside WeChat (web authorisation, snsapi_base: silent, no consent page): the survey page
 * sends WeChat's browser once through the authorisation page, which comes back to
 * `/s/:token/wechat` with a code; the openid behind it is kept on the resident
 * (`learntOpenId`), so the next survey can reach them by template message (docs/rules.md §3).
 * Whatever fails, the resident lands on their survey: learning never stands in the way.
 */
export class WebAuthorisation {
  constructor(private readonly deps: { dataSource: DataSource; clock: Clock; links: SignedLinks; client: OfficialAccountClient; publicBaseUrl: string }) {}

  /** Sends WeChat's browser to the authorisation page when the resident's openid is worth learning; true when it did. */
  async redirect(ctx: Context, visit: Visit): Promise<boolean> {
    const agent = ctx.get('user-agent');
    // WeCom's own browser says MicroMessenger too, but its users are not the account's followers.
    if (!/MicroMessenger/i.test(agent) || /wxwork/i.test(agent) || ctx.query.wx !== undefined || !visit.residentId) return false;
    const office = await this.deps.dataSource.manager.findOneBy(Office, { id: visit.officeId });
    if (!office || resolvePolicy(office.policy).officialAccount === null) return false;
    const resident = await this.deps.dataSource.manager.findOneBy(Resident, { officeId: visit.officeId, id: visit.residentId });
    if (!resident || openIdOf(resident)) return false;
    ctx.redirect(this.deps.client.authorizeUrl(`${this.deps.publicBaseUrl}${ctx.path}/wechat`, 'hf'));
    return true;
  }

  routes(): Router {
    const router = new Router();
    router.get('/s/:token/wechat', async (ctx) => {
      const token = String(ctx.params.token);
      const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
      const check = this.deps.links.check(token, this.deps.clock.now());
      if (check.ok && check.grant.purpose === 'survey' && /^[A-Za-z0-9_-]{1,128}$/.test(code)) {
        await this.learn(check.grant.visitId, code).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'openid not learnt'));
      }
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(`/s/${encodeURIComponent(token)}?wx=1`);
    });
    return router;
  }

  private async learn(visitId: number, code: string): Promise<void> {
    const visit = await this.deps.dataSource.manager.findOneBy(Visit, { id: visitId });
    if (!visit?.residentId) return;
    const openId = await this.deps.client.openIdOf(code);
    if (!openId) return;
    await this.deps.dataSource.manager.update(Resident, { officeId: visit.officeId, id: visit.residentId }, { learntOpenId: openId });
  }
}
