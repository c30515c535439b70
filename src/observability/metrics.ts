import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthRoute } from './health.ts';

/** How a Slack Web API call ended, as the gateway classifies it. */
export type SlackCallOutcome = 'ok' | 'rate_limited' | 'transient' | 'permanent';

/** What one outbox drain did with the prompts it claimed. */
export interface DeliveryTotals {
  sent: number;
  failed: number;
  retried: number;
  skipped: number;
}

/** Where the backlog gauges read their figures when Prometheus scrapes (one count query each). */
export interface BacklogSources {
  inbox: () => Promise<number>;
  outbox: () => Promise<number>;
}

/**
 * Operators' metrics, in their own prom-client registry (never the global default one): one instance per
 * app, built in app.ts and passed to whoever records something. Counters and histograms are per process;
 * the backlog gauges count the shared database, so replicas report the same figure.
 */
export interface Metrics {
  slackCall(method: string, outcome: SlackCallOutcome): void;
  /** Seconds from a Slack request reaching Bolt to its acknowledgement. */
  ack(kind: string, seconds: number): void;
  deliveries(totals: DeliveryTotals): void;
  job(name: string, ok: boolean, seconds: number): void;
  /** Seconds a scheduler run took to plan the rounds that were due and queue their intros. */
  roundsPlanned(seconds: number): void;
  /** The gauges below read these on every scrape. */
  backlogFrom(sources: BacklogSources): void;
  render(): Promise<{ contentType: string; body: string }>;
}

const SECONDS_BUCKETS_ACK = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const SECONDS_BUCKETS_WORK = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300];

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  let backlog: BacklogSources | null = null;

  new Gauge({
    name: 'weave_inbox_backlog',
    help: 'Slack inputs stored and not yet processed (pending or being processed)',
    registers,
    async collect() {
      // A database that cannot be read shows as NaN rather than failing the whole scrape.
      if (backlog) this.set(await backlog.inbox().catch(() => Number.NaN));
    },
  });
  new Gauge({
    name: 'weave_outbox_backlog',
    help: 'Messages queued to be sent to Slack and not yet sent (pending or being sent)',
    registers,
    async collect() {
      // A database that cannot be read shows as NaN rather than failing the whole scrape.
      if (backlog) this.set(await backlog.outbox().catch(() => Number.NaN));
    },
  });
  const deliveries = new Counter({
    name: 'weave_outbox_deliveries_total',
    help: 'Outbox prompts handled, by outcome: sent, skipped, retried (later) or failed (permanently)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const slackCalls = new Counter({
    name: 'weave_slack_calls_total',
    help: 'Slack Web API calls made, by method and outcome (ok, rate_limited, transient, permanent)',
    labelNames: ['method', 'outcome'] as const,
    registers,
  });
  const slackRateLimited = new Counter({
    name: 'weave_slack_rate_limited_total',
    help: 'Slack Web API calls answered 429, by method',
    labelNames: ['method'] as const,
    registers,
  });
  const slackRetries = new Counter({
    name: 'weave_slack_retries_total',
    help: 'Slack Web API calls that failed in a way Weave retries later (429 or transient), by method',
    labelNames: ['method'] as const,
    registers,
  });
  const ackSeconds = new Histogram({
    name: 'weave_ack_duration_seconds',
    help: 'Time from a Slack request reaching the app to its acknowledgement, by kind of input',
    labelNames: ['kind'] as const,
    buckets: SECONDS_BUCKETS_ACK,
    registers,
  });
  const jobSeconds = new Histogram({
    name: 'weave_job_duration_seconds',
    help: 'Scheduler job runs, by job',
    labelNames: ['job'] as const,
    buckets: SECONDS_BUCKETS_WORK,
    registers,
  });
  const jobFailures = new Counter({
    name: 'weave_job_failures_total',
    help: 'Scheduler job runs that failed, by job',
    labelNames: ['job'] as const,
    registers,
  });
  const roundSeconds = new Histogram({
    name: 'weave_round_duration_seconds',
    help: 'Time a scheduler run took to plan the rounds that were due and queue their intros',
    buckets: SECONDS_BUCKETS_WORK,
    registers,
  });

  return {
    slackCall(method, outcome) {
      slackCalls.inc({ method, outcome });
      if (outcome === 'rate_limited') slackRateLimited.inc({ method });
      if (outcome === 'rate_limited' || outcome === 'transient') slackRetries.inc({ method });
    },
    ack(kind, seconds) {
      ackSeconds.observe({ kind }, seconds);
    },
    deliveries(totals) {
      for (const outcome of ['sent', 'skipped', 'retried', 'failed'] as const)
        if (totals[outcome] > 0) deliveries.inc({ outcome }, totals[outcome]);
    },
    job(name, ok, seconds) {
      jobSeconds.observe({ job: name }, seconds);
      if (!ok) jobFailures.inc({ job: name });
    },
    roundsPlanned(seconds) {
      roundSeconds.observe(seconds);
    },
    backlogFrom(sources) {
      backlog = sources;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** Compares a presented bearer token with the configured one in constant time (hashes have one length). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(token)) && presented !== '';
}

/**
 * `GET /metrics` in Prometheus' text format, for a scraper holding METRICS_TOKEN (`Authorization: Bearer
 * …`; 401 otherwise). Without a configured token metrics are off: 404.
 */
export function metricsRoutes(metrics: Metrics, token: string | undefined): HealthRoute[] {
  return [
    {
      path: '/metrics',
      method: ['GET'],
      handler: (req: IncomingMessage, res: ServerResponse) => {
        if (!token) {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not found\n');
          return;
        }
        if (!bearerMatches(req.headers.authorization, token)) {
          res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
          res.end('unauthorized\n');
          return;
        }
        metrics.render().then(
          ({ contentType, body }) => {
            res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
            res.end(body);
          },
          () => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end('metrics unavailable\n');
          },
        );
      },
    },
  ];
}
