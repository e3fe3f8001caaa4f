import { ConsoleSection } from '../section';
import { officeSection } from './office.section';
import { officesSection } from './offices.section';
import { policySection } from './policy.section';
import { staffMemberSection } from './staff-member.section';
import { staffSection } from './staff.section';

/** The setup pages (docs/api.md §Console): offices, their rate targets, policy values and staff. */
export const SETUP_SECTIONS: readonly ConsoleSection[] = [officesSection, officeSection, policySection, staffSection, staffMemberSection];
