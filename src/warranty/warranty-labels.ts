import { WarrantyCategory } from '../rules/warranty-clock';

/** The categories as the card prints them (docs/rules.md §7). */
export const CATEGORY_LABELS: Readonly<Record<WarrantyCategory, string>> = Object.freeze({
  structure: '地基基础和主体结构',
  waterproofing: '屋面防水、有防水要求的卫生间和房间、外墙面防渗漏',
  heating: '供热系统',
  cooling: '供冷系统',
  electrical_plumbing: '电气管线、给排水管道、设备安装和装修工程',
  other: '其他项目',
});

/** The categories in a word or two, for lines of summaries and notices. */
export const CATEGORY_SHORT_LABELS: Readonly<Record<WarrantyCategory, string>> = Object.freeze({
  structure: '主体结构',
  waterproofing: '防水',
  heating: '供热',
  cooling: '供冷',
  electrical_plumbing: '水电安装',
  other: '其他项目',
});

/** The warranty period of a category, in the card's words. */
export function periodLabel(category: WarrantyCategory, terms: { designLifeYears: number; otherYears: number | null }): string {
  switch (category) {
    case 'structure':
      return `设计文件规定的合理使用年限（${terms.designLifeYears} 年）`;
    case 'waterproofing':
      return '5 年';
    case 'heating':
      return '2 个采暖期';
    case 'cooling':
      return '2 个供冷期';
    case 'electrical_plumbing':
      return '2 年';
    case 'other':
      return `合同约定（${terms.otherYears ?? 0} 年）`;
  }
}

/** A repair's cause as the card and task sheet print it. */
export const CAUSE_LABELS = Object.freeze({ builder: '施工原因（保修范围内，免费）', misuse: '使用不当（保修范围外，收取材料费和人工费）', other: '其他原因（保修范围外，收取材料费和人工费）' });
