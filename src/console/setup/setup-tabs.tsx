import type { VNode } from 'preact';
import { Office } from '../../../entities';
import { FieldProblems } from './office-edit';
import { setupPath } from './setup-access';

/** What a setup page says above its content: saved, refused (403), or the problems of a refused save. */
export interface PageNote {
  saved?: boolean;
  refused?: boolean;
  problems?: FieldProblems;
}

const TABS = [
  ['office', '', '管理处'],
  ['policy', '/policy', '规则'],
  ['staff', '/staff', '员工'],
] as const;

/** The office's setup pages as tabs, and the page's note. */
export function SetupTabs({ office, current, note = {} }: { office: Office; current: (typeof TABS)[number][0]; note?: PageNote }): VNode {
  return (
    <>
      <nav class="offices" aria-label="设置">
        <a href="/console/offices">全部管理处</a>
        {TABS.map(([key, rest, label]) => (
          <a href={setupPath(office.id, rest)} aria-current={key === current ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {note.refused ? (
        <p class="alert" role="alert" data-refused>
          您的角色只能查看这个管理处的设置，没有做任何修改。
        </p>
      ) : null}
      {note.saved ? (
        <p class="saved" role="status" data-saved>
          已保存。
        </p>
      ) : null}
      {note.problems ? (
        <p class="alert" role="alert">
          没有保存：请按各项下方的提示修改。
        </p>
      ) : null}
    </>
  );
}
