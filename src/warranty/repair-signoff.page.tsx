import { Project, RepairStatus, WarrantyRepair } from '../../entities';
import { Document, renderDocument } from '../http/html/document';
import { pagePolicy } from '../http/page-security';
import { CAUSE_LABELS } from './warranty-labels';

const CSS = `
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0 auto; max-width: 34rem; padding: 1rem; color: #222; }
h1 { font-size: 1.3rem; }
dt { color: #666; margin-top: .6rem; }
dd { margin: 0; }
button { margin-top: 1.2rem; width: 100%; padding: .9rem; font-size: 1.1rem; background: #1a7f37; color: #fff; border: 0; border-radius: .4rem; }
button.reject { margin-top: .6rem; background: #fff; color: #c0262d; border: 2px solid #f0b4b6; }
.done { color: #1a7f37; font-weight: bold; }
.rejected { color: #c0262d; font-weight: bold; }
`;

/** The sign-off page's Content-Security-Policy: its own CSS, no script. */
export const SIGNOFF_PAGE_POLICY = pagePolicy({ styles: [CSS] });

/**
 * The owner's sign-off page (验收签认) of a warranty repair: what was repaired and how, and two
 * buttons, 确认验收 and 不满意 — the same answer as the chat card's, so whichever came first is
 * shown here after. A plain form post: no script, so it works in any chat's browser.
 */
export function repairSignOffPage(props: { project: Project; repair: WarrantyRepair; justSigned?: boolean }): string {
  const { project, repair } = props;
  const signed = repair.status === RepairStatus.SignedOff;
  const rejected = repair.status === RepairStatus.NotAccepted;
  return renderDocument(
    <Document title="保修维修验收签认" css={CSS}>
      <h1>保修维修验收签认</h1>
      <dl>
        <dt>工程</dt>
        <dd>{project.name}</dd>
        <dt>部位</dt>
        <dd>{repair.location}</dd>
        <dt>问题</dt>
        <dd>{repair.description}</dd>
        <dt>原因鉴定</dt>
        <dd>{repair.cause ? CAUSE_LABELS[repair.cause] : ''}</dd>
        <dt>处理措施</dt>
        <dd>{repair.taskSheet?.measures ?? ''}</dd>
      </dl>
      {signed ? (
        <p class="done">{props.justSigned ? '已确认验收，谢谢！' : '本次维修已验收签认。'}</p>
      ) : rejected ? (
        <p class="rejected">{props.justSigned ? '已收到您的反馈：不满意。我们会尽快联系您返修。' : '您已反馈对本次维修不满意，返修完成后会再请您验收。'}</p>
      ) : repair.status === RepairStatus.Done ? (
        <form method="post">
          <button type="submit" name="verdict" value="accepted">确认验收</button>
          <button type="submit" name="verdict" value="not_accepted" class="reject">不满意</button>
        </form>
      ) : (
        <p>维修尚未完成，完成后可验收签认。</p>
      )}
    </Document>,
  );
}

/** What the sign-off link answers when it cannot show the repair: a sentence, in the page's frame. */
export type SignOffRefusal = 'unreadable' | 'invalid' | 'not_found';

const REFUSALS: Record<SignOffRefusal, string> = {
  unreadable: '无法读取提交的内容，请返回重试。',
  invalid: '链接无效或已过期。',
  not_found: '找不到这次维修。',
};

export function signOffRefusalPage(refusal: SignOffRefusal): string {
  return renderDocument(
    <Document title="保修维修验收签认" css={CSS}>
      <p data-refusal={refusal}>{REFUSALS[refusal]}</p>
    </Document>,
  );
}
