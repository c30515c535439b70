import { describe, expect, it } from 'vitest';
import { configWarnings, formatConfigProblems, parseConfig } from '../../../src/config/config.ts';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };

describe('configuration', () => {
  it('runs in HTTP mode on the embedded database with defaults when given a bot token and signing secret', () => {
    const r = parseConfig(base);
    expect(r.ok && r.config).toMatchObject({
      mode: 'http',
      auth: { kind: 'single', botToken: 'xoxb-1' },
      port: 3000,
      publicUrl: 'http://localhost:3000',
      // The embedded database in a process of its own unless PGLITE_PROCESS=inline.
      database: { kind: 'pglite', dataDir: './data', process: 'separate' },
      logLevel: 'info',
      schedulerTickMs: 30_000,
      outboxLeaseMs: 60_000,
    });
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set (no signing secret needed) and PostgreSQL when DATABASE_URL is', () => {
    const r = parseConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1-x',
      DATABASE_URL: 'postgresql://u@h/db',
    });
    expect(r.ok && r.config).toMatchObject({
      mode: 'socket',
      database: { kind: 'postgres', url: 'postgresql://u@h/db' },
    });
  });

  it('uses OAuth when client id, secret and state secret are set, and then requires ENCRYPTION_KEY', () => {
    const oauth = {
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'c',
      SLACK_STATE_SECRET: 's',
      SLACK_SIGNING_SECRET: 'x',
    };
    const missingKey = parseConfig(oauth);
    expect(missingKey.ok).toBe(false);
    expect(!missingKey.ok && missingKey.problems.join('\n')).toContain(
      'ENCRYPTION_KEY is required for OAuth',
    );
    const r = parseConfig({ ...oauth, ENCRYPTION_KEY: 'k'.repeat(32) });
    expect(r.ok && r.config.auth).toEqual({
      kind: 'oauth',
      clientId: '1.2',
      clientSecret: 'c',
      stateSecret: 's',
    });
  });

  it('with OAuth, WEAVE_ADMIN_IDS must name workspace and user (T…:U…); a bare user id is refused', () => {
    const oauth = {
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'c',
      SLACK_STATE_SECRET: 's',
      SLACK_SIGNING_SECRET: 'x',
      ENCRYPTION_KEY: 'k'.repeat(32),
    };
    const bare = parseConfig({ ...oauth, WEAVE_ADMIN_IDS: 'T0ONE:U0ANNA, U0BEN' });
    expect(bare.ok).toBe(false);
    expect(!bare.ok && bare.problems.join('\n')).toContain(
      'WEAVE_ADMIN_IDS must name the workspace with each user',
    );
    const scoped = parseConfig({ ...oauth, WEAVE_ADMIN_IDS: 'T0ONE:U0ANNA, T0TWO:U0BEN' });
    expect(scoped.ok && scoped.config.adminIds).toEqual(['T0ONE:U0ANNA', 'T0TWO:U0BEN']);
    // One workspace (a bot token): bare user ids stay fine.
    const single = parseConfig({ ...base, WEAVE_ADMIN_IDS: 'U0ANNA,T0ONE:U0BEN' });
    expect(single.ok && single.config.adminIds).toEqual(['U0ANNA', 'T0ONE:U0BEN']);
    expect(parseConfig({ ...base, WEAVE_ADMIN_IDS: 'T0ONE:' }).ok).toBe(false);
  });

  it('reads several ENCRYPTION_KEY entries (id:key, newest first) and reports a bad one', () => {
    const r = parseConfig({ ...base, ENCRYPTION_KEY: `k2:${'n'.repeat(32)},k1:${'o'.repeat(32)}` });
    expect(r.ok && r.config.encryptionKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(r.ok && r.config.encryptionKey).toBe('n'.repeat(32));
    const bad = parseConfig({ ...base, ENCRYPTION_KEY: `k2:short,k1:${'o'.repeat(32)}` });
    expect(!bad.ok && bad.problems.join('\n')).toContain(
      'ENCRYPTION_KEY is invalid: key "k2" should be at least 32',
    );
  });

  it('limits conversations.history as for a distributed non-Marketplace app with OAuth installs, unless SLACK_DISTRIBUTED_APP says otherwise', () => {
    const oauth = {
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'c',
      SLACK_STATE_SECRET: 's',
      SLACK_SIGNING_SECRET: 'x',
      ENCRYPTION_KEY: 'k'.repeat(32),
    };
    const distributed = (env: Record<string, string>) => {
      const r = parseConfig(env);
      return r.ok ? r.config.distributedApp : r.problems;
    };
    expect(distributed(base)).toBe(false);
    expect(distributed(oauth)).toBe(true);
    expect(distributed({ ...oauth, SLACK_DISTRIBUTED_APP: 'false' })).toBe(false);
    expect(distributed({ ...base, SLACK_DISTRIBUTED_APP: 'true' })).toBe(true);
    expect(distributed({ ...base, SLACK_DISTRIBUTED_APP: 'maybe' })).toEqual([
      'SLACK_DISTRIBUTED_APP is invalid: should be auto, true or false',
    ]);
  });

  it('keeps the Slack rate budget per process unless SLACK_RATE_BUDGET=shared (for several replicas)', () => {
    const budget = (env: Record<string, string>) => {
      const r = parseConfig(env);
      return r.ok ? r.config.rateBudget : r.problems;
    };
    expect(budget(base)).toBe('local');
    expect(budget({ ...base, DATABASE_URL: 'postgresql://db/weave' })).toBe('local');
    expect(budget({ ...base, SLACK_RATE_BUDGET: 'shared' })).toBe('shared');
    expect(budget({ ...base, SLACK_RATE_BUDGET: 'everywhere' })).toEqual([
      'SLACK_RATE_BUDGET is invalid: should be shared or local',
    ]);
  });

  it('lists every problem at once, each naming the variable and what it should look like', () => {
    const r = parseConfig({
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      SLACK_CLIENT_ID: '1',
      SLACK_API_URL: 'not a url',
    });
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : formatConfigProblems(r.problems);
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'LOG_LEVEL',
      'SLACK_API_URL',
      'SLACK_CLIENT_SECRET',
      'SLACK_STATE_SECRET',
      'SLACK_SIGNING_SECRET',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('postgresql://');
    expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('runs the embedded database inside Weave with PGLITE_PROCESS=inline, and says what else it accepts', () => {
    const inline = parseConfig({ ...base, PGLITE_PROCESS: 'inline' });
    expect(inline.ok && inline.config.database).toEqual({
      kind: 'pglite',
      dataDir: './data',
      process: 'inline',
    });
    const wrong = parseConfig({ ...base, PGLITE_PROCESS: 'thread' });
    expect(wrong.ok).toBe(false);
    expect(wrong.ok ? '' : formatConfigProblems(wrong.problems)).toMatch(/PGLITE_PROCESS.*inline.*separate/s);
  });

  it('treats empty variables as unset (as a copied .env.example leaves them)', () => {
    const r = parseConfig({ ...base, PORT: '', DATABASE_URL: '', SLACK_APP_TOKEN: '', LOG_LEVEL: '' });
    expect(r.ok && r.config).toMatchObject({
      port: 3000,
      mode: 'http',
      database: { kind: 'pglite' },
      logLevel: 'info',
    });
  });

  it('accepts any bot token string but warns when it does not look like one', () => {
    const r = parseConfig({ SLACK_BOT_TOKEN: 'test', SLACK_SIGNING_SECRET: 'test' });
    expect(r.ok).toBe(true);
    expect(r.ok && configWarnings(r.config)).toEqual([
      expect.stringContaining('does not look like a bot token'),
    ]);
    const fine = parseConfig(base);
    expect(fine.ok && configWarnings(fine.config)).toEqual([]);
  });

  it('normalises SLACK_API_URL to end with a slash, as the WebClient expects', () => {
    const r = parseConfig({ ...base, SLACK_API_URL: 'http://127.0.0.1:9999/api' });
    expect(r.ok && r.config.slackApiUrl).toBe('http://127.0.0.1:9999/api/');
  });
});
