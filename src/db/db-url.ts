/** Where the data lives: an embedded SQLite file or a MySQL/MariaDB server. */
export type DbTarget =
  | { kind: 'sqlite'; path: string; label: 'sqlite' }
  | { kind: 'mysql'; url: string; database: string; label: 'mysql' };

/** Where the data lives without DB_URL (config.ts's default); its folder (./data) is the only one Huifang creates. */
export const DEFAULT_SQLITE_PATH = './data/huifang.sqlite';

export const DB_URL_HINT = 'must be sqlite:<path> or mysql://user:pass@host:port/database';

/** Parses `DB_URL`; null when it is neither form. */
export function parseDbUrl(value: string): DbTarget | null {
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return path === '' ? null : { kind: 'sqlite', path, label: 'sqlite' };
  }
  if (value.startsWith('mysql://') || value.startsWith('mariadb://')) {
    try {
      const url = new URL(value.replace(/^mariadb:/, 'mysql:'));
      const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
      if (!url.hostname || !database || database.includes('/')) return null;
      return { kind: 'mysql', url: url.toString(), database, label: 'mysql' };
    } catch {
      return null;
    }
  }
  return null;
}
