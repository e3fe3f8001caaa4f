import { ConsoleSection } from '../section';
import { SETUP_SECTIONS } from '../setup';
import { WARRANTY_SECTIONS } from '../warranty';
import { CAMPAIGN_SECTIONS } from './campaigns.section';
import { glanceSection } from './glance.section';
import { quarterCsvSection, quarterXlsxSection } from './quarter-files.section';
import { quarterSection } from './quarter.section';
import { visitSection } from './visit.section';
import { visitsSection } from './visits.section';

/** Every console section, in header order. A new section is one file and one line here. */
export const CONSOLE_SECTIONS: readonly ConsoleSection[] = [
  glanceSection,
  visitsSection,
  visitSection,
  quarterSection,
  quarterXlsxSection,
  quarterCsvSection,
  ...WARRANTY_SECTIONS,
  ...CAMPAIGN_SECTIONS,
  ...SETUP_SECTIONS,
];
