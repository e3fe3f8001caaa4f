import type { ComponentChildren, VNode } from 'preact';
import { ReportTable, TableCell } from '../../reports/stats-tables';
import { percent } from '../charts/charts';

const cellText = (cell: TableCell): string => (cell === null || cell === '' ? '—' : typeof cell === 'object' ? percent(cell.percent) : String(cell));

/**
 * One table of the 走访回访统计表 exactly as the xlsx and csv exports write it (the same
 * `statsTables`, so page and files agree cell for cell), with `empty` said when it has no rows.
 * `link` may make a row's first cell a link (an unqualified visit's id → the visit); `children`
 * come between the title and the table (a chart of the same figures).
 */
export function ReportTableView(props: { table: ReportTable; name: string; empty: string; link?: (row: TableCell[]) => string | null; children?: ComponentChildren }): VNode {
  const { table, name, empty, link } = props;
  return (
    <section data-section={name}>
      <h2>
        {table.title}（{table.rows.length}）
      </h2>
      {props.children}
      {table.rows.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {table.headers.map((h) => (
                <th>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => {
              const href = link?.(row) ?? null;
              return (
                <tr>
                  {row.map((cell, i) => (
                    <td>{i === 0 && href ? <a href={href}>{cellText(cell)}</a> : cellText(cell)}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
