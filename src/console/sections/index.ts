import { ConsoleSection } from '../section';
import { glanceSection } from './glance.section';

/** Every console section, in header order. A new section is one file and one line here. */
export const CONSOLE_SECTIONS: readonly ConsoleSection[] = [glanceSection];
