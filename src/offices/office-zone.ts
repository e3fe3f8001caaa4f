import { Office } from '../../entities';

/** The zone in which an office's days are reckoned: its own, else TZ_DEFAULT. */
export function officeZone(office: Pick<Office, 'timeZone'>, defaultTimeZone: string): string {
  return office.timeZone || defaultTimeZone;
}
