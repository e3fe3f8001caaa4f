import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { Campaign, Office, Visit } from '../../entities';
import { DomainError } from '../errors';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { calleesOf } from './call-cards';
import { readCallForm } from './call-form-input';
import { CALL_FORM_PAGE_POLICY, callFormPage, CallFormView, callRecordPage } from './call-form-page';

/**
 * The staff form (`/f/:token`) of a campaign call: the staff-form routes check the signed link
 * and hand a campaign visit here. GET shows the record form while the caller may record the
 * call (else the record, read-only); POST records it through the visit lifecycle — reached: the
 * record; not reached: an attempt, and the form stays open for the next try. What is missing
 * comes back as a 400 with the form, said beside the field; a step refused meanwhile (recorded
 * elsewhere) a 409 page.
 */
export class CallForm {
  constructor(private readonly deps: { dataSource: DataSource; lifecycle: VisitLifecycle }) {}

  async show(ctx: Context, access: { visitId: number; canRecord: boolean }): Promise<void> {
    const view = await this.view(access.visitId);
    if (!view) return page(ctx, 404, callRecordPage(emptyView, '链接无效'));
    page(ctx, 200, access.canRecord ? callFormPage(view.view, ctx.path) : callRecordPage(view.view, view.recorded ? '回访记录' : '此回访现在不能记录'));
  }

  async post(ctx: Context, access: { visitId: number; staffId: string }, form: URLSearchParams): Promise<void> {
    const found = await this.view(access.visitId);
    if (!found) return page(ctx, 404, callRecordPage(emptyView, '链接无效'));
    const read = readCallForm(found.campaign, form);
    if ('errors' in read) return page(ctx, 400, callFormPage(found.view, ctx.path, Object.fromEntries(form.entries()), read.errors));
    try {
      const { visit } = await this.deps.lifecycle.run(access.visitId, read.command, { kind: 'staff', id: access.staffId });
      const after = (await this.view(access.visitId))!.view;
      page(ctx, 200, visit.recordedAt ? callRecordPage(after, '已提交回访记录') : callRecordPage(after, `已记一次未接通（共 ${after.attempts} 次），请稍后再联系`));
    } catch (err) {
      if (!(err instanceof DomainError) || err.status >= 500) throw err;
      page(ctx, err.status === 403 ? 403 : 409, callRecordPage(found.view, err.status === 403 ? '这通回访不是您的' : '这通回访已经记录过，或现在不能记录'));
    }
  }

  private async view(visitId: number): Promise<{ view: CallFormView; campaign: Campaign; recorded: boolean } | null> {
    const manager = this.deps.dataSource.manager;
    const visit = await manager.findOneBy(Visit, { id: visitId });
    const campaign = visit?.campaignId ? await manager.findOneBy(Campaign, { id: visit.campaignId }) : null;
    if (!visit || !campaign) return null;
    const [office, calleeOf] = await Promise.all([manager.findOneBy(Office, { id: visit.officeId }), calleesOf(manager, [visit])]);
    return {
      campaign,
      recorded: visit.recordedAt !== null,
      view: {
        officeName: office?.name ?? '',
        campaignName: campaign.name,
        ...calleeOf(visit),
        methods: campaign.methods,
        questions: campaign.questions,
        attempts: Number(visit.details?.attempts ?? 0),
        recorded: visit.recordedAt ? visit.details : null,
      },
    };
  }
}

const emptyView: CallFormView = { officeName: '', campaignName: '', customer: null, methods: [], questions: [], attempts: 0, recorded: null };

function page(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Content-Security-Policy', CALL_FORM_PAGE_POLICY);
  ctx.body = body;
}
