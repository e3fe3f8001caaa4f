import { ConsoleSection } from '../section';
import { projectSection } from './project.section';
import { projectsSection } from './projects.section';

/** The construction warranty pages (docs/rules.md §7), read-only. */
export const WARRANTY_SECTIONS: readonly ConsoleSection[] = [projectsSection, projectSection];
