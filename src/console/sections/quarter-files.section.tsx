import { overseesAny } from '../console-user';
import { ConsoleSection } from '../section';
import { quarterScopeOf } from './quarter-scope';

const TYPES = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv; charset=utf-8' } as const;

/**
 * `/console/quarter.xlsx` and `/console/quarter.csv` (`?office&quarter`): the quarter page's
 * downloads, written by the admin API's own exporters (the same workbook and CSV as
 * `GET /api/stats/quarterly.xlsx` and `Accept: text/csv`), for whoever may see that office's
 * quarter page — another office's id is not found, a bad quarter a 400.
 */
function quarterFileSection(format: keyof typeof TYPES): ConsoleSection {
  return {
    path: `/console/quarter.${format}`,
    title: '季度统计下载',
    inNav: false,
    mayView: overseesAny,
    async render(request, deps) {
      const scope = await quarterScopeOf(request, deps);
      if ('notFound' in scope) return scope;
      if ('problem' in scope) {
        return { title: '季度统计下载', status: 400, body: <p class="alert" role="alert">{scope.problem}</p> };
      }
      const [officeId, quarter] = [scope.office.id, scope.quarter.label];
      const body = format === 'xlsx' ? await deps.reports.xlsx(officeId, quarter) : await deps.reports.csv(officeId, quarter);
      return { file: { name: `走访回访统计表-${officeId}-${quarter}.${format}`, type: TYPES[format], body } };
    },
  };
}

export const quarterXlsxSection = quarterFileSection('xlsx');
export const quarterCsvSection = quarterFileSection('csv');
