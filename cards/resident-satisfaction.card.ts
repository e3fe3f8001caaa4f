import type { RenderedMessage } from '../src/channels/channel';
import { ANSWER_LEVELS, LEVEL_LABELS, SATISFACTION_LABELS, type AnswerLevel } from '../src/rules/answer-levels';
import type { WorkOrderKind } from '../src/rules/kinds';
import { SHORTCOMING_CODES, SHORTCOMING_LABELS } from '../src/rules/shortcomings';
import { answerFields, satisfactionText, type RecordedAnswers } from './components/answer-fields';
import type { CardModel, CardOption, CardQuestion } from './components/card-model';
import { inlineText } from './components/inline-text';
import { SERVICE_LABELS } from './components/labels';
import { formatLocalTime, type LocalTime } from './components/local-time';
import { renderCard } from './components/render-card';
import { truncateChars } from './components/utf8';

/**
 * The stages of the resident's questions (docs/rules.md §3). WeCom shapes the flow: a
 * `multiple_interaction` card holds at most three drop-downs, a `vote_interaction` card one
 * check-box question, and neither shows rows or links (docs/wecom.md §2.6–§2.7). So:
 * - `ratings` (1/3): quality, effect, satisfaction → 提交 `ratings_submit`;
 * - `shortcomings` (2/3): 缺点与不足, multiple choice → 提交 `shortcomings_submit`;
 * - `confirm` (3/3): the answers so far, "solved?" (drop-down), the survey link for
 *   suggestions → 确认 `survey_confirm`, the resident's confirmation of the record;
 * - `quick`: satisfaction only, one tap: 非常满意 … 非常不满意 → `sat_5` … `sat_1`.
 * Suggestions come as a chat reply at any stage, or through the survey link.
 * DingTalk shows the same stages on the generic template, so both platforms ask alike.
 */
export type SatisfactionStage = 'quick' | 'ratings' | 'shortcomings' | 'confirm';

/** Props of the resident's satisfaction card. */
export interface ResidentSatisfactionProps {
  /** `hf_<visitId>_<stage>_<n>`: one per stage sent. */
  cardId: string;
  stage: SatisfactionStage;
  officeName: string;
  kind: WorkOrderKind;
  workOrder: { title: string; completedAt?: LocalTime };
  /** The resident's survey page (`/s/:token`): suggestions and the whole form. */
  surveyUrl: string;
  /** Answers so far: shown on `confirm`, and as the choices of an answered card. */
  answers?: RecordedAnswers;
  /** Render the card after the tap: choices locked, buttons greyed out. */
  answered?: boolean;
}

/** Keys of the satisfaction cards: questions, submits and buttons. */
export const SATISFACTION_KEYS = Object.freeze({
  quality: 'quality',
  effect: 'effect',
  satisfaction: 'satisfaction',
  shortcomings: 'shortcomings',
  solved: 'solved',
  ratingsSubmit: 'ratings_submit',
  shortcomingsSubmit: 'shortcomings_submit',
  confirm: 'survey_confirm',
  /** A link button (opens the survey page); listed for DingTalk's template, never called back. */
  openSurvey: 'open_survey',
  /** `sat_5` … `sat_1`: the one-tap satisfaction buttons. */
  quick: (level: AnswerLevel) => `sat_${level}`,
});

/** Option ids of the "solved?" question. */
export const SOLVED_OPTION_IDS = Object.freeze({ yes: 'yes', no: 'no' } as const);

const HINT = '建议可直接回复文字';

function levelOptions(labels: Readonly<Record<AnswerLevel, string>>): CardOption[] {
  // Ids are the stored levels ('5' … '1'), best first as on the paper form.
  return ANSWER_LEVELS.map((level) => ({ id: String(level), text: labels[level] }));
}

function chosenLevel(level: AnswerLevel | null | undefined): string[] | undefined {
  return level ? [String(level)] : undefined;
}

function subject(props: ResidentSatisfactionProps): string {
  return truncateChars(inlineText(props.workOrder.title), 16);
}

function quick(props: ResidentSatisfactionProps): CardModel {
  const chosen = props.answers?.satisfaction;
  return {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    title: `请评价本次${SERVICE_LABELS[props.kind]}`,
    subtitle: `${subject(props)}｜点一下即完成评价`,
    fields: [
      { label: '服务内容', value: inlineText(props.workOrder.title) },
      ...(props.workOrder.completedAt ? [{ label: '完成时间', value: formatLocalTime(props.workOrder.completedAt) }] : []),
      { label: '补充意见', value: '点此填写', url: props.surveyUrl },
    ],
    body: ['您对本次服务满意吗？有建议可直接回复文字，或点「补充意见」填写。'],
    actions: ANSWER_LEVELS.map((level) => ({
      kind: 'callback' as const,
      text: SATISFACTION_LABELS[level],
      key: SATISFACTION_KEYS.quick(level),
      style: level >= 4 ? ('primary' as const) : level === 3 ? ('default' as const) : ('danger' as const),
    })),
    answered: props.answered ? (chosen ? `已评价：${satisfactionText(chosen)}` : '已评价') : undefined,
  };
}

function ratings(props: ResidentSatisfactionProps): CardModel {
  const answers = props.answers ?? {};
  const questions: CardQuestion[] = [
    { key: SATISFACTION_KEYS.quality, title: '质量评价', options: levelOptions(LEVEL_LABELS), chosen: chosenLevel(answers.quality) },
    { key: SATISFACTION_KEYS.effect, title: '服务效果评价', options: levelOptions(LEVEL_LABELS), chosen: chosenLevel(answers.effect) },
    {
      key: SATISFACTION_KEYS.satisfaction,
      title: '满意程度评价',
      options: levelOptions(SATISFACTION_LABELS),
      chosen: chosenLevel(answers.satisfaction),
    },
  ];
  return {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    title: `请评价本次${SERVICE_LABELS[props.kind]}（1/3）`,
    subtitle: `${subject(props)}｜选好后点提交，${HINT}`,
    questions,
    submit: { text: '提交', key: SATISFACTION_KEYS.ratingsSubmit },
    answered: props.answered ? '已提交' : undefined,
  };
}

function shortcomings(props: ResidentSatisfactionProps): CardModel {
  return {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    title: '哪些方面需改进（2/3）',
    subtitle: `可多选，没有请选「无」；${HINT}`,
    questions: [
      {
        key: SATISFACTION_KEYS.shortcomings,
        title: '缺点与不足',
        options: SHORTCOMING_CODES.map((code) => ({ id: code, text: SHORTCOMING_LABELS[code] })),
        multiple: true,
        chosen: props.answers?.shortcomings ?? undefined,
      },
    ],
    submit: { text: '提交', key: SATISFACTION_KEYS.shortcomingsSubmit },
    answered: props.answered ? '已提交' : undefined,
  };
}

function confirm(props: ResidentSatisfactionProps): CardModel {
  const answers = props.answers ?? {};
  const solved = answers.solved === true ? [SOLVED_OPTION_IDS.yes] : answers.solved === false ? [SOLVED_OPTION_IDS.no] : undefined;
  return {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    title: '请确认本次回访（3/3）',
    subtitle: subject(props),
    fields: [
      ...answerFields({ ...answers, solved: undefined }, 'full'),
      { label: '填写建议', value: '点此填写', url: props.surveyUrl },
    ],
    body: ['如有建议，可直接回复文字，或点「填写建议」。点「确认」即完成本次回访，视同您签字确认。'],
    questions: [
      {
        key: SATISFACTION_KEYS.solved,
        title: '问题是否已解决',
        options: [
          { id: SOLVED_OPTION_IDS.yes, text: '已解决' },
          { id: SOLVED_OPTION_IDS.no, text: '未解决' },
        ],
        chosen: solved,
      },
    ],
    actions: [{ kind: 'callback', text: '确认', key: SATISFACTION_KEYS.confirm, style: 'primary' }],
    answered: props.answered ? '已确认，感谢您的评价' : undefined,
  };
}

const STAGES: Record<SatisfactionStage, (props: ResidentSatisfactionProps) => CardModel> = {
  quick,
  ratings,
  shortcomings,
  confirm,
};

/**
 * The resident's card for one stage of the questions (see {@link SatisfactionStage}), or,
 * with `answered`, the same card after the tap, locked on what was chosen.
 */
export function render(props: ResidentSatisfactionProps): RenderedMessage {
  return renderCard(STAGES[props.stage](props));
}
