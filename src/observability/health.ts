import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HealthRoute {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** `/healthz` (process up) and `/readyz` (database reachable; 503 otherwise, or while shutting down; the inbox backlog). */
export function healthRoutes(check: {
  dbReachable: () => Promise<boolean>;
  stopping: () => boolean;
  /** The inbox backlog (inputs stored and not yet processed) and its limit, reported by /readyz. */
  inbox?: { backlog: () => Promise<number>; limit: number };
}): HealthRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req, res) => {
        if (check.stopping()) return sendJson(res, 503, { status: 'stopping' });
        const db = await check.dbReachable();
        // Over the limit, HTTP-mode events are refused with 503 (Slack retries them); the process is
        // still ready for everything else, so the backlog is reported rather than failing readiness.
        const backlog = db && check.inbox ? await check.inbox.backlog().catch(() => null) : null;
        sendJson(res, db ? 200 : 503, {
          status: db ? 'ready' : 'database unreachable',
          database: db,
          ...(check.inbox ? { inbox: { backlog, limit: check.inbox.limit } } : {}),
        });
      },
    },
  ];
}

/**
 * A check whose answer is reused for `ttlMs` (callers at the same moment share one probe), for paths hot
 * enough that probing on every request would cost a database round trip each.
 */
export function cachedCheck(probe: () => Promise<boolean>, ttlMs: number): () => Promise<boolean> {
  let last: { at: number; value: boolean } | null = null;
  let pending: Promise<boolean> | null = null;
  return () => {
    if (last && Date.now() - last.at < ttlMs) return Promise.resolve(last.value);
    pending ??= probe()
      .catch(() => false)
      .then((value) => {
        last = { at: Date.now(), value };
        pending = null;
        return value;
      });
    return pending;
  };
}
