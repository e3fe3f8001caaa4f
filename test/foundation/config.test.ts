import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, DEFAULT_SCHEDULES, loadConfig } from '../../src/config/config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('configuration', () => {
  it('starts with no environment at all: SQLite file, sandbox mode, port 3000', () => {
    const config = loadConfig({});
    expect(config.db).toEqual({ kind: 'sqlite', path: './data/huifang.sqlite', label: 'sqlite' });
    expect(config.sandbox).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.defaultTimeZone).toBe('Asia/Shanghai');
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.schedules).toEqual(DEFAULT_SCHEDULES);
  });

  it('reads a MySQL URL and keeps the database name', () => {
    const config = loadConfig({ DB_URL: 'mysql://hf:secret@db.internal:3306/huifang' });
    expect(config.db).toMatchObject({ kind: 'mysql', database: 'huifang', label: 'mysql' });
  });

  it.each([
    [{ DB_URL: 'nonsense' }, 'DB_URL: must be sqlite:<path> or mysql://user:pass@host:port/database'],
    [{ DB_URL: 'mysql://localhost' }, 'DB_URL: must be sqlite:<path> or mysql://user:pass@host:port/database'],
    [{ PORT: 'eighty' }, 'PORT: "eighty" is not a port number (1–65535)'],
    [{ TZ_DEFAULT: 'Mars/Olympus' }, 'TZ_DEFAULT: "Mars/Olympus" is not an IANA time zone (for example Asia/Shanghai)'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN: must be at least 16 characters'],
    [{ PUBLIC_BASE_URL: 'hf.example.org' }, 'PUBLIC_BASE_URL: must be an http(s) URL, for example https://hf.example.org'],
    [{ CRON_DISPATCH: 'every minute' }, 'CRON_DISPATCH: "every minute" is not a cron expression (5 or 6 fields)'],
  ])('refuses %o with one line naming the variable', (env, line) => {
    expect(problemsOf(env)).toEqual([line]);
  });

  it('names the missing secret when WECOM_CORP_ID is set without it', () => {
    const problems = problemsOf({ WECOM_CORP_ID: 'ww123', WECOM_AGENT_ID: '1000002', WEBHOOK_SECRET: 'x' });
    expect(problems).toEqual(['WECOM_CORP_SECRET: required when WECOM_CORP_ID, WECOM_AGENT_ID are set']);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ PORT: '0', DB_URL: 'nonsense', DINGTALK_APP_KEY: 'k', WECOM_ENCODING_AES_KEY: 'short' });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'DB_URL',
      'WECOM_TOKEN',
      'WECOM_ENCODING_AES_KEY',
      'DINGTALK_APP_SECRET',
      'DINGTALK_AGENT_ID',
    ]);
  });

  it('requires WEBHOOK_SECRET once a chat platform is configured, and leaves sandbox mode', () => {
    const env = { WECOM_CORP_ID: 'ww1', WECOM_CORP_SECRET: 's', WECOM_AGENT_ID: '1000002' };
    expect(problemsOf(env)).toEqual([
      'WEBHOOK_SECRET: required when WeCom or DingTalk is configured (the work-order webhook HMAC key)',
    ]);
    const config = loadConfig({ ...env, WEBHOOK_SECRET: 'whsec' });
    expect(config.sandbox).toBe(false);
    expect(config.wecom).toMatchObject({ corpId: 'ww1', agentId: 1000002, apiBase: 'https://qyapi.weixin.qq.com' });
  });

  it('refuses a log level pino does not know with one line, not a stack trace', () => {
    expect(problemsOf({ LOG_LEVEL: 'verbose' })).toEqual(['LOG_LEVEL: one of fatal, error, warn, info, debug, trace, silent']);
  });

  it('never puts a secret value into a problem line', () => {
    const problems = problemsOf({ WECOM_CORP_SECRET: 'very-secret-value', WEBHOOK_SECRET: 'x' });
    expect(problems.join('\n')).not.toContain('very-secret-value');
  });
});

describe('.env.example', () => {
  it('lists, with a comment, every variable the configuration reads', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync('.env.example', 'utf8');
    const missing = CONFIG_VARIABLES.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example));
    expect(CONFIG_VARIABLES).toContain('CRON_QUARTERLY_STATS');
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});
