import type { VNode } from 'preact';
import { KIND_SHORT_LABELS } from '../../reports/form-labels';
import { KindFigures } from '../../reports/quarterly-stats';
import { CHART_SCRIPT_PATHS } from './chart-assets.routes';
import { WeekSatisfaction } from './weekly-satisfaction';

/** A share 0–1 as a percentage with one decimal ("66.7%"); "—" when there is none. */
export const percent = (value: number | null): string => (value === null ? '—' : `${Math.round(value * 1000) / 10}%`);

const chartPercent = (value: number | null): number | null => (value === null ? null : Math.round(value * 1000) / 10);

/**
 * The scripts that draw a page's charts: ECharts and the console's chart script, both files of
 * ours (the console's CSP allows our own script files, nothing inline). Put once per page.
 */
export function ChartScripts(): VNode {
  return (
    <>
      {CHART_SCRIPT_PATHS.map((src) => (
        <script src={src} defer />
      ))}
    </>
  );
}

/**
 * A chart's place: hidden until the chart script draws in it (without script, the table beside
 * it says everything); its data is the same figures as that table, as JSON in `data-chart`.
 */
function Chart({ name, label, data }: { name: string; label: string; data: Record<string, unknown> }): VNode {
  return <div class="chart" data-chart-name={name} data-chart={JSON.stringify(data)} role="img" aria-label={label} hidden />;
}

/** The on-time share of the visits done: on time ÷ done (late ones included), all kinds together. */
export function OnTimeShare({ kinds }: { kinds: KindFigures[] }): VNode {
  const done = kinds.reduce((n, k) => n + k.done, 0);
  const onTime = kinds.reduce((n, k) => n + k.onTime, 0);
  return (
    <div class="figures">
      <div class="figure">
        按时完成占比<b data-on-time-share>{percent(done === 0 ? null : onTime / done)}</b>
        <span class="muted">
          {onTime} / {done}
        </span>
      </div>
    </div>
  );
}

/** This quarter's follow-up rate per kind as bars, each kind's target marked. */
export function RatesChart({ kinds }: { kinds: KindFigures[] }): VNode {
  return (
    <Chart
      name="rates"
      label="各类别回访率与目标，数据见下表"
      data={{
        type: 'rates',
        labels: kinds.map((k) => KIND_SHORT_LABELS[k.kind] ?? k.kind),
        rates: kinds.map((k) => chartPercent(k.rate)),
        targets: kinds.map((k) => chartPercent(k.target)),
      }}
    />
  );
}

/** The quarter's satisfaction by week: a line, and the same figures as a table. */
export function SatisfactionTrend({ weeks }: { weeks: WeekSatisfaction[] }): VNode {
  return (
    <section data-section="satisfaction-trend">
      <h2>满意度（按周）</h2>
      {weeks.every((w) => w.answers === 0) ? (
        <p class="muted">本季度还没有满意度评价</p>
      ) : (
        <>
          <Chart
            name="satisfaction"
            label="每周平均满意度（1–5 分），数据见下表"
            data={{ type: 'satisfaction', labels: weeks.map((w) => w.monday), averages: weeks.map((w) => w.average), answers: weeks.map((w) => w.answers) }}
          />
          <table>
            <thead>
              <tr>
                <th>周（周一）</th>
                <th>平均满意度</th>
                <th>评价数</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr data-week={w.week}>
                  <td>{w.monday}</td>
                  <td data-average>{w.average === null ? '—' : w.average.toFixed(2)}</td>
                  <td>{w.answers}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
