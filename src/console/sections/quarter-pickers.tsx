import type { VNode } from 'preact';
import { Office } from '../../../entities';
import { Quarter, quarterOf } from '../../rules/quarter';
import { previousQuarter } from './quarter-scope';

const link = (office: Office, quarter: string | null): string =>
  `/console/quarter?${new URLSearchParams(quarter ? { office: office.id, quarter } : { office: office.id })}`;

/**
 * The quarter page's pickers: the person's offices (when they oversee more than one) and the
 * quarters before and after this one (up to the one under way). Plain links: no script needed.
 */
export function QuarterPickers(props: { offices: Office[]; office: Office; quarter?: Quarter; current?: Quarter; zone?: string }): VNode {
  const { offices, office, quarter, current, zone } = props;
  const before = quarter && zone ? previousQuarter(quarter, zone) : null;
  const after = quarter && zone && current && quarter.to <= current.from ? quarterOf(quarter.to, zone) : null;
  return (
    <>
      {offices.length > 1 ? (
        <nav class="offices" aria-label="管理处">
          {offices.map((o) => (
            <a href={link(o, quarter?.label ?? null)} aria-current={o.id === office.id ? 'page' : undefined}>
              {o.name}
            </a>
          ))}
        </nav>
      ) : null}
      <nav class="offices" aria-label="季度">
        {before ? <a href={link(office, before.label)}>← {before.label}</a> : null}
        {after ? <a href={link(office, after.label)}>{after.label} →</a> : null}
        {current && quarter?.label !== current.label ? <a href={link(office, null)}>本季度</a> : null}
      </nav>
    </>
  );
}
