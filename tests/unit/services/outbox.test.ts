import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../../src/observability/logger.ts';
import { NOTIFICATION_KINDS } from '../../../src/services/notifications.ts';
import {
  createOutbox,
  createPromptOutbox,
  type NotificationHandlers,
  type WorkQueue,
} from '../../../src/services/outbox.ts';
import type { ClaimedNotification, ClaimedPrompt } from '../../../src/services/ports.ts';

type Item = { id: string; kind: string; attempts: number };

const log = createLogger('silent');
const clock = { now: () => new Date('2026-12-04T10:00:00Z') };

describe('the outbox drain when the database fails mid-way', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('rejects with the first failure, waits for every lane it opened, and leaves no rejection unhandled', async () => {
    let claims = 0;
    const sent: string[] = [];
    const queue: WorkQueue<Item> = {
      // The first claims find work and open more lanes; every claim after them finds the database gone.
      async claimDue() {
        claims += 1;
        const n = claims;
        await new Promise((r) => setTimeout(r, 5));
        if (n <= 3) return [{ id: `p${n}`, kind: 'note', attempts: 1 }];
        throw new Error('Connection terminated unexpectedly');
      },
      async markSent(id) {
        sent.push(id);
        return true;
      },
      async retryAt() {},
      async markFailed() {},
    };
    const outbox = createOutbox<Item>({
      prompts: queue,
      handlers: {
        note: async () => {
          await new Promise((r) => setTimeout(r, 20));
          return { status: 'sent' };
        },
      },
      log,
      clock,
      leaseMs: 1000,
      concurrency: 4,
    });

    await expect(outbox.drain()).rejects.toThrow('Connection terminated unexpectedly');
    // Lanes still running when the first one failed have finished what they held.
    expect(sent.sort()).toEqual(['p1', 'p2', 'p3']);
    // Let any stray promise settle before looking.
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
    // After a failed claim no lane claims again: at most one failing claim per lane.
    expect(claims).toBeLessThanOrEqual(3 + 4);
  });
});

describe('the prompt outbox parses each claimed prompt as its kind’s notification', () => {
  type Row = ClaimedPrompt & { status: 'pending' | 'sending' | 'sent' | 'failed'; lastError?: string };

  /** Prompts as the store keeps them: claimed when pending, marked by the claim that holds them. */
  function store(rows: Array<Pick<ClaimedPrompt, 'id' | 'kind' | 'payload'> & { userId?: string }>) {
    const all: Row[] = rows.map((r) => ({
      workspaceId: 'T0TEAM',
      key: `${r.kind}:${r.id}`,
      userId: r.userId ?? null,
      groupId: null,
      dueAt: clock.now(),
      attempts: 0,
      postingSince: null,
      posting: { begin: async () => true, notPosted: async () => {}, mayHavePosted: () => {} },
      status: 'pending',
      ...r,
    }));
    const calls = { claimed: [] as string[], failed: [] as Array<[string, string]>, sent: [] as string[] };
    const queue: WorkQueue<ClaimedPrompt> = {
      async claimDue(_now, limit) {
        const due = all.filter((r) => r.status === 'pending').slice(0, limit);
        for (const r of due) {
          r.status = 'sending';
          r.attempts += 1;
          calls.claimed.push(r.id);
        }
        return due.map(({ status: _s, lastError: _e, ...prompt }) => prompt);
      },
      async markSent(id) {
        calls.sent.push(id);
        const r = all.find((x) => x.id === id);
        if (r) r.status = 'sent';
        return true;
      },
      async retryAt(id, _owner, _at, error) {
        const r = all.find((x) => x.id === id);
        if (r) Object.assign(r, { status: 'pending', lastError: error });
      },
      async markFailed(id, _owner, error) {
        calls.failed.push([id, error]);
        const r = all.find((x) => x.id === id);
        if (r) Object.assign(r, { status: 'failed', lastError: error });
      },
    };
    return { all, calls, queue };
  }

  /** A handler for every kind, each recording what it was given (what it would send). */
  function recordingHandlers() {
    const delivered: Array<{ id: string; kind: string; payload: unknown }> = [];
    const handlers = Object.fromEntries(
      NOTIFICATION_KINDS.map((kind) => [
        kind,
        async (p: ClaimedNotification) => {
          delivered.push({ id: p.id, kind: p.kind, payload: p.payload });
          return { status: 'sent' } as const;
        },
      ]),
    ) as NotificationHandlers;
    return { delivered, handlers };
  }

  /** The prompt outbox over `queue`, one lane (prompts delivered in order). */
  function oneLaneOutbox(
    queue: Parameters<typeof createPromptOutbox>[0]['prompts'],
    handlers: NotificationHandlers,
    log: Logger,
  ) {
    return createPromptOutbox({ prompts: queue, handlers, log, clock, leaseMs: 1000, concurrency: 1 });
  }

  function capture() {
    const lines: string[] = [];
    return { log: createLogger('info', { write: (l: string) => void lines.push(l) }), lines };
  }

  it('marks a prompt with an invalid payload failed once, with the zod issue, sends nothing and never retries it', async () => {
    const { all, calls, queue } = store([
      { id: 'bad', kind: 'give_dm', payload: { giveId: 42 }, userId: 'U0SOFIA' },
      { id: 'good', kind: 'give_dm', payload: { giveId: 'g1' }, userId: 'U0SOFIA' },
    ]);
    const { delivered, handlers } = recordingHandlers();
    const { log, lines } = capture();
    const outbox = oneLaneOutbox(queue, handlers, log);

    const first = await outbox.drain();
    const second = await outbox.drain();

    expect(first).toEqual({ sent: 1, failed: 1, retried: 0, skipped: 0 });
    expect(second).toEqual({ sent: 0, failed: 0, retried: 0, skipped: 0 });
    const error = 'invalid give_dm payload: giveId: Invalid input: expected string, received number';
    expect(calls.failed).toEqual([['bad', error]]);
    expect(calls.claimed.filter((id) => id === 'bad')).toHaveLength(1);
    expect(all.find((r) => r.id === 'bad')).toMatchObject({
      status: 'failed',
      lastError: error,
      attempts: 1,
    });
    // Only the valid prompt reached its handler (and so Slack).
    expect(delivered).toEqual([{ id: 'good', kind: 'give_dm', payload: { giveId: 'g1' } }]);
    expect(calls.sent).toEqual(['good']);
    // Logged once, as a warning naming the prompt and the error.
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({ promptId: 'bad', kind: 'give_dm', error, msg: 'prompt failed permanently' }),
    ]);
  });

  it('fails a prompt of a kind nobody sends the same way', async () => {
    const { calls, queue } = store([{ id: 'old', kind: 'carrier_pigeon', payload: {} }]);
    const { delivered, handlers } = recordingHandlers();
    const outbox = createPromptOutbox({ prompts: queue, handlers, log, clock, leaseMs: 1000 });
    expect(await outbox.drain()).toMatchObject({ failed: 1, sent: 0 });
    expect(calls.failed).toEqual([['old', 'unknown prompt kind carrier_pigeon']]);
    expect(delivered).toEqual([]);
  });

  it('hands each handler its payload parsed, with the defaults the handlers used to apply', async () => {
    const { queue } = store([
      { id: 'w', kind: 'welcome', payload: {}, userId: 'U0NEW' },
      { id: 'c', kind: 'checkin', payload: {} },
      { id: 'x', kind: 'data_export', payload: { parts: 3 }, userId: 'U0BEN' },
      { id: 'g', kind: 'group_intro', payload: { seed: 7, trioAddedId: null } },
    ]);
    const { delivered, handlers } = recordingHandlers();
    const outbox = oneLaneOutbox(queue, handlers, log);
    expect(await outbox.drain()).toMatchObject({ sent: 4, failed: 0 });
    expect(delivered).toEqual([
      { id: 'w', kind: 'welcome', payload: { channelId: null } },
      { id: 'c', kind: 'checkin', payload: {} },
      { id: 'x', kind: 'data_export', payload: { parts: [] } },
      { id: 'g', kind: 'group_intro', payload: { seed: 7, trioAddedId: null, reason: '' } },
    ]);
  });
});
