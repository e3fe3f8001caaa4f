import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { Clock } from '../clock';
import { Job } from '../jobs/job';
import { SignedLinks } from '../survey/signed-link';
import { Notifier } from '../visits/notifier';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { projectRoutes } from './project.routes';
import { ProjectService } from './project.service';
import { RepairMessages } from './repair-messages';
import { repairRoutes } from './repair.routes';
import { WarrantyRepairs } from './repair.service';
import { warrantyCardRoutes } from './warranty-card.routes';
import { WarrantyCards } from './warranty-card.service';
import { warrantyReportRoutes } from './warranty-report.routes';
import { WarrantySweeps } from './warranty-sweeps';
import { OtherCardTaps } from '../callbacks/card-update';
import { RepairCardTaps } from './repair-card-taps';

/** Construction warranty (docs/rules.md §7): projects, their visits, card and repairs, as routes, sweeps and card taps. */
export function warrantyModule(deps: {
  dataSource: DataSource;
  clock: Clock;
  lifecycle: VisitLifecycle;
  notifier: Notifier;
  links: SignedLinks;
  publicBaseUrl: string;
  defaultTimeZone: string;
}): { routers: Router[]; jobs: Job[]; cardTaps: OtherCardTaps[] } {
  const { dataSource, clock, lifecycle, notifier, defaultTimeZone } = deps;
  const projects = new ProjectService({ dataSource, clock, lifecycle, notifier, channelOf: (office) => notifier.channelOf(office), defaultTimeZone });
  const cards = new WarrantyCards({ dataSource, clock, notifier, projects });
  const messages = new RepairMessages({ notifier, links: deps.links, publicBaseUrl: deps.publicBaseUrl });
  const repairs = new WarrantyRepairs({ dataSource, clock, projects, messages });
  const sweeps = new WarrantySweeps({ dataSource, cards, repairs });
  return {
    routers: [projectRoutes({ dataSource, projects }), warrantyCardRoutes(cards), repairRoutes({ dataSource, clock, links: deps.links, repairs }),
      warrantyReportRoutes({ dataSource, clock, projects }),
    ],
    jobs: sweeps.jobs(),
    cardTaps: [new RepairCardTaps({ clock, repairs, messages, projects })],
  };
}
