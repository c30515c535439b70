import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeave } from '../../src/app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { TestClock } from '../support/clock.ts';
import { GENERAL_CHANNEL_ID, USER_IDS } from '../support/fake-workspace.ts';
import { waitUntil } from '../support/scenarios.ts';
import { FAST_RATE_LIMITS, startWorld, type TestWorld, testConfig } from '../support/test-app.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const clock = new TestClock('2026-11-25T12:00:00Z');
let world: TestWorld;
const { anna, ben } = USER_IDS;

beforeAll(async () => {
  world = await startWorld({ clock, env: { METRICS_TOKEN } });
});
afterAll(async () => {
  await world?.close();
});

const scrape = (headers: Record<string, string> = {}) => fetch(`${world.url}/metrics`, { headers });
const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };

/** The value of one sample line (`name{labels} value`), or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('answers 401 without the bearer token or with a wrong one', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-0123456789abcdef' },
      { authorization: METRICS_TOKEN },
      { authorization: `Basic ${METRICS_TOKEN}` },
      { authorization: 'Bearer ' },
    ];
    for (const headers of attempts) {
      const res = await scrape(headers);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('weave_');
    }
  });

  it("reports the backlogs, Slack calls, acks, deliveries and job runs in Prometheus' text format", async () => {
    const res = await world.slack.command('/give', `<@${ben}> walked me through the pricing model`, {
      userId: anna,
      channelId: GENERAL_CHANNEL_ID,
    });
    expect(res.status).toBe(200);
    await world.fake.waitForCount('response_url', 1, (a) => String(a.url) === res.responseUrl);

    // The inbox worker answers through the response URL, then marks the input processed.
    let before = '';
    await waitUntil(async () => {
      before = await (await scrape(bearer)).text();
      return sample(before, 'weave_inbox_backlog') === 0;
    });
    const queued = await scrape(bearer);
    expect(queued.status).toBe(200);
    expect(queued.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(before).toContain('# TYPE weave_inbox_backlog gauge');
    expect(before).toContain('# TYPE weave_outbox_backlog gauge');
    expect(sample(before, 'weave_ack_duration_seconds_count{kind="command"}')).toBe(1);

    // The give's DM to ben goes out through the outbox (a wake-up may already have sent it).
    await world.app.scheduler.run('deliver');
    await waitUntil(() => world.fake.callsTo('chat.postMessage').length > 0);
    const after = await (await scrape(bearer)).text();
    expect(sample(after, 'weave_outbox_backlog')).toBe(0);
    expect(sample(after, 'weave_slack_calls_total{method="chat.postMessage",outcome="ok"}')).toBeGreaterThan(
      0,
    );
    expect(sample(after, 'weave_outbox_deliveries_total{outcome="sent"}')).toBeGreaterThan(0);
    expect(sample(after, 'weave_job_duration_seconds_count{job="deliver"}')).toBeGreaterThanOrEqual(1);
    // The backlog gauges count the database on every scrape: a prompt put back in the queue shows.
    const sent = await world.db.prisma.prompt.findFirstOrThrow({ where: { status: 'sent' } });
    await world.db.prisma.prompt.update({
      where: { id: sent.id },
      data: { status: 'pending', dueAt: new Date('2099-01-01T00:00:00Z') },
    });
    expect(sample(await (await scrape(bearer)).text(), 'weave_outbox_backlog')).toBe(1);
    for (const name of [
      'weave_slack_rate_limited_total',
      'weave_slack_retries_total',
      'weave_job_failures_total',
      'weave_round_duration_seconds',
    ])
      expect(after).toContain(`# TYPE ${name} `);
  });

  it('does not exist (404) when METRICS_TOKEN is not set', async () => {
    const config = testConfig(world.fake, world.testDb.config);
    expect(config.metricsToken).toBeUndefined();
    const app = await createWeave(config, createLogger('silent'), {
      db: world.db,
      clock,
      manualScheduler: true,
      rateLimits: FAST_RATE_LIMITS,
    });
    try {
      const { port } = await app.start();
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: bearer });
      expect(res.status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});
