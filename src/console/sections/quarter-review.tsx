import type { VNode } from 'preact';
import { DateTime } from 'luxon';
import { QuarterlyDecision } from '../../../entities';
import { DECISION_FORM_LABELS } from '../../reports/form-labels';
import { QuarterlyReviewState } from '../../reports/quarterly-review.service';

/** What the person may write on this quarter now (the review service checks again). */
export interface ReviewRights {
  /** The quarter has ended: there are statistics to judge. */
  ended: boolean;
  /** A supervisor of the office: writes the review. */
  review: boolean;
  /** A manager of the office: decides, once there is a review. */
  decide: boolean;
}

const DECISIONS = Object.keys(DECISION_FORM_LABELS) as QuarterlyDecision[];

/**
 * The statistics' written review by a supervisor and the manager's decision (SOP 4.7,
 * docs/rules.md §5), each the latest entry with who and when, earlier ones listed below; and
 * the form the person may use. Both forms post to the quarter page's actions.
 */
export function ReviewSection(props: { state: QuarterlyReviewState; names: Map<string, string>; zone: string; rights: ReviewRights; query: string }): VNode {
  const { state, names, rights, query } = props;
  const who = (id: string) => names.get(id) ?? id;
  const at = (iso: string) => DateTime.fromISO(iso, { zone: props.zone }).toFormat('yyyy年M月d日 HH:mm');
  return (
    <section data-section="review">
      <h2>审核与决定</h2>
      <table>
        <tbody>
          <tr data-step="review">
            <th>主管审核</th>
            <td>{state.review ? `${who(state.review.reviewerId)} · ${at(state.review.at)}：${state.review.opinion}` : '尚未审核'}</td>
          </tr>
          <tr data-step="decision" data-decision={state.decision?.decision}>
            <th>经理决定</th>
            <td>
              {state.decision
                ? `${DECISION_FORM_LABELS[state.decision.decision]} · ${who(state.decision.managerId)} · ${at(state.decision.at)}${state.decision.note ? `：${state.decision.note}` : ''}`
                : '尚未决定'}
            </td>
          </tr>
        </tbody>
      </table>
      {state.history.length > (state.review ? 1 : 0) + (state.decision ? 1 : 0) ? (
        <>
          <h3>全部记录（{state.history.length}）</h3>
          <ol data-history>
            {state.history.map((e) => (
              <li>
                {at(e.at)} · {who(e.staffId)} · {e.step === 'review' ? `审核：${e.opinion ?? ''}` : `决定：${e.decision ? DECISION_FORM_LABELS[e.decision] : ''}${e.note ? `（${e.note}）` : ''}`}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {!rights.ended && (rights.review || rights.decide) ? <p class="muted">季度结束后才能审核和作出决定。</p> : null}
      {rights.ended && rights.review ? <ReviewForm query={query} /> : null}
      {rights.ended && rights.decide ? state.review ? <DecisionForm query={query} /> : <p class="muted">主管填写审核意见后，经理才能作出决定。</p> : null}
    </section>
  );
}

function ReviewForm({ query }: { query: string }): VNode {
  return (
    <form method="post" action={`/console/quarter/review?${query}`} class="filters" data-form="review">
      <textarea name="opinion" aria-label="审核意见" placeholder="对本季度统计的书面审核意见" maxLength={4000} required />
      <button type="submit">提交审核意见</button>
    </form>
  );
}

function DecisionForm({ query }: { query: string }): VNode {
  return (
    <form method="post" action={`/console/quarter/decision?${query}`} class="filters" data-form="decision">
      {DECISIONS.map((d) => (
        <label>
          <input type="radio" name="decision" value={d} required /> {DECISION_FORM_LABELS[d]}
        </label>
      ))}
      <textarea name="note" aria-label="说明" placeholder="说明（可选）" maxLength={4000} />
      <button type="submit">提交决定</button>
    </form>
  );
}
