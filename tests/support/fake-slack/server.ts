/**
 * The fake Slack server: a real `node:http` server on 127.0.0.1 answering the Web API methods Weave uses with
 * Slack-shaped JSON, as strict as Slack where Weave depends on it (scopes, membership, triggers, response
 * URLs, Block Kit, rate tiers); records every call; injects faults; serves response URLs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConversationKind } from '../slack-reference.ts';
import { checkRateLimit, countRateLimited, takeFault } from './faults.ts';
import { chatMethods } from './methods-chat.ts';
import { conversationMethods } from './methods-conversations.ts';
import { usersMethods } from './methods-users.ts';
import { viewMethods } from './methods-views.ts';
import { FakeSlackModel } from './model.ts';
import { oauthMethods } from './oauth.ts';
import { RateObserver } from './rate-observer.ts';
import { handleResponseUrl, mintResponseUrl, responseUrlId } from './responses.ts';
import { checkScopes } from './scopes.ts';
import { methodMatches, type Waiter } from './state.ts';
import type {
  Builtins,
  CallArgs,
  CallPredicate,
  CustomHandler,
  FakeFault,
  FakeRateLimit,
  FakeSlackCall,
  FakeSlackOptions,
  HandlerContext,
  MethodMatcher,
  ResponseUrlKind,
  SlackResult,
  WaitForOptions,
} from './types.ts';
import { applyBasicAuth, fail, parseArgs, readBody, sendJson, sendText, sleep } from './util.ts';

export class FakeSlack extends FakeSlackModel {
  /** Every call that reached the rate check, for `maxCallsInWindow`. */
  readonly rateObserver = new RateObserver();
  private server: ReturnType<typeof createServer> | undefined;
  private readonly builtins: Builtins = {
    ...usersMethods(this),
    ...conversationMethods(this),
    ...chatMethods(this),
    ...viewMethods(this),
    ...oauthMethods(this),
  };

  // ----- lifecycle ---------------------------------------------------------------------------------------------

  /** Starts listening on 127.0.0.1 with a random port. Called by `startFakeSlack`. */
  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fake slack error: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** Lets a test take over HTTP upgrades (e.g. the Socket Mode WebSocket in fake-socket-mode.ts). */
  onUpgrade(listener: (req: IncomingMessage, socket: import('node:stream').Duplex) => void): void {
    this.server?.on('upgrade', listener);
  }

  /** Base URL without path, e.g. `http://127.0.0.1:53111`. */
  get url(): string {
    return this.baseUrl;
  }

  get port(): number {
    return Number(new URL(this.baseUrl).port);
  }

  /** What WebClient's `slackApiUrl` / SLACK_API_URL takes: `http://127.0.0.1:PORT/api/`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** Stops the server (dropping open connections) and rejects pending waitFor promises. */
  async close(): Promise<void> {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('fake slack closed'));
    }
    this.waiters = [];
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ----- custom handlers ---------------------------------------------------------------------------------------

  /** Overrides a method's answer; return undefined from the handler to fall through to the built-in behaviour. */
  setHandler(method: string, handler: CustomHandler | null): void {
    if (handler) this.handlers.set(method, handler);
    else this.handlers.delete(method);
  }

  // ----- recording ---------------------------------------------------------------------------------------------

  callsTo(method: MethodMatcher, predicate?: CallPredicate): FakeSlackCall[] {
    return this.calls.filter((c) => methodMatches(method, c.method) && (!predicate || predicate(c.args, c)));
  }

  lastCall(method: MethodMatcher, predicate?: CallPredicate): FakeSlackCall | undefined {
    return this.callsTo(method, predicate).at(-1);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** Clears calls, stats, queued faults, rate limits, response URL counters and custom handlers (not workspace state). */
  reset(): void {
    this.clearCalls();
    this.rateObserver.clear();
    Object.assign(this.stats, FakeSlackModel.emptyStats());
    this.faults.clear();
    this.rateLimits.clear();
    this.windows.clear();
    this.responseUrlUses.clear();
    this.expiredResponseUrls.clear();
    this.handlers.clear();
    this.lenient.clear();
    for (const w of this.opts.lenient ?? []) this.lenient.add(w);
  }

  /** Forgets every posted message (and the reactions on them): a clean message history between tests. */
  clearMessages(): void {
    this.messages.clear();
    this.reactions.clear();
  }

  /**
   * Resolves with the first call to `method` matching `predicate` (existing calls count unless
   * `includeExisting: false`). Rejects after `timeoutMs` (default 5000) with a list of what did arrive.
   */
  async waitFor(
    method: MethodMatcher,
    predicate?: CallPredicate,
    opts: WaitForOptions = {},
  ): Promise<FakeSlackCall> {
    const [call] = await this.waitForCount(method, 1, predicate, opts);
    return call as FakeSlackCall;
  }

  /** Resolves with the first `count` matching calls once that many have arrived. */
  waitForCount(
    method: MethodMatcher,
    count: number,
    predicate?: CallPredicate,
    opts: WaitForOptions = {},
  ): Promise<FakeSlackCall[]> {
    const matches = (c: FakeSlackCall) =>
      methodMatches(method, c.method) && (!predicate || predicate(c.args, c));
    const found = opts.includeExisting === false ? [] : this.calls.filter(matches).slice(0, count);
    if (found.length >= count) return Promise.resolve(found);
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise<FakeSlackCall[]>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        count,
        found,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          const seen = this.calls.map((c) => `${c.method}${c.ok ? '' : `(${c.error})`}`).join(', ') || 'none';
          reject(
            new Error(
              `fake slack: timed out after ${timeoutMs}ms waiting for ${count}× ${String(method)} ` +
                `(matched ${waiter.found.length}); calls so far: ${seen}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private record(call: FakeSlackCall): void {
    this.calls.push(call);
    const done: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.matches(call)) {
        w.found.push(call);
        if (w.found.length >= w.count) done.push(w);
      }
    }
    if (done.length === 0) return;
    this.waiters = this.waiters.filter((w) => !done.includes(w));
    for (const w of done) {
      clearTimeout(w.timer);
      w.resolve(w.found);
    }
  }

  // ----- faults / rate limits ----------------------------------------------------------------------------------

  /** Queues a fault for the next `times` calls to `method` ('*' = any method, 'response_url' for response URLs). */
  failNext(method: string, fault: FakeFault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    queue.push({ fault, remaining: times });
    this.faults.set(method, queue);
  }

  /** Drops queued faults (for one method or all). */
  clearFaults(method?: string): void {
    if (method) this.faults.delete(method);
    else this.faults.clear();
  }

  /** Enforces a sliding-window limit; excess calls get 429 + Retry-After. Pass null to remove. */
  setRateLimit(method: string, limit: FakeRateLimit | null): void {
    if (limit) this.rateLimits.set(method, limit);
    else this.rateLimits.delete(method);
    for (const key of [...this.windows.keys()]) if (key.startsWith(`${method}|`)) this.windows.delete(key);
  }

  /**
   * The most calls to `method` (accepted or refused with 429) one workspace sent within any `windowMs`:
   * at most the limit when Weave (all its replicas together) paces itself right.
   */
  maxCallsInWindow(method: string, windowMs: number, teamId?: string): number {
    return this.rateObserver.maxInWindow(method, windowMs, teamId);
  }

  // ----- response URLs and triggers ----------------------------------------------------------------------------

  /**
   * A response URL served by this fake: `http://127.0.0.1:PORT/response/<id>` (id generated when omitted). By
   * default an interaction's (block action, shortcut, view); slash commands get `commandResponseUrl`.
   */
  responseUrl(id?: string, kind: ResponseUrlKind = 'interaction'): string {
    return mintResponseUrl(this, kind, id);
  }

  /** A slash command's response URL: `replace_original` is ignored there, as on Slack. */
  commandResponseUrl(id?: string): string {
    return mintResponseUrl(this, 'command', id);
  }

  /** Accepted posts so far to a response URL (by id or full URL). */
  responseUrlUseCount(idOrUrl: string): number {
    return this.responseUrlUses.get(responseUrlId(idOrUrl)) ?? 0;
  }

  /** Posts to this response URL now answer 404 `expired_url`. */
  expireResponseUrl(idOrUrl: string): void {
    this.expiredResponseUrls.add(responseUrlId(idOrUrl));
  }

  /** Recorded posts to one response URL (by id or full URL). */
  responseUrlCalls(idOrUrl?: string): FakeSlackCall[] {
    const id = idOrUrl === undefined ? undefined : responseUrlId(idOrUrl);
    return this.callsTo('response_url', (a) => id === undefined || a.responseUrlId === id);
  }

  /**
   * Tells the fake Slack sent this trigger_id with a payload now (the signed-request helper does it for every
   * payload): views.open/push accept it once, within 3 seconds.
   */
  issueTrigger(triggerId: string, issuedAtMs = Date.now()): string {
    if (!this.usedTriggers.has(triggerId)) this.triggers.set(triggerId, issuedAtMs);
    return triggerId;
  }

  // ----- HTTP --------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/api/')) {
      await this.handleApi(req, res, url, raw, decodeURIComponent(url.pathname.slice('/api/'.length)));
    } else if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      await handleResponseUrl(this, (c) => this.record(c), req, res, url, raw);
    } else {
      sendText(res, 404, 'not found');
    }
  }

  private async handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    raw: string,
    method: string,
  ): Promise<void> {
    const at = Date.now();
    this.stats.requests += 1;
    const args = parseArgs(raw, req.headers['content-type'] ?? '', url.searchParams);
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    const token =
      bearer ?? (typeof args.token === 'string' && args.token !== '' ? (args.token as string) : null);
    delete args.token;
    const base = { method, args, token, at };

    const fault = takeFault(this, method, args);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.afterProcessing) await this.answer(method, args, token, req);
    if (fault?.status === 429) {
      const retryAfter = fault.retryAfterSec ?? 1;
      const body = { ok: false, error: 'ratelimited' };
      countRateLimited(this, method);
      sendJson(res, 429, body, { 'Retry-After': String(retryAfter) });
      this.record({
        ...base,
        status: 429,
        ok: false,
        error: 'ratelimited',
        response: body,
        injected: 'fault',
      });
      return;
    }
    if (fault?.status !== undefined && fault.status !== 200) {
      const text = fault.body ?? `fake slack injected HTTP ${fault.status}`;
      sendText(res, fault.status, text);
      this.record({
        ...base,
        status: fault.status,
        ok: false,
        error: `http_${fault.status}`,
        response: text,
        injected: 'fault',
      });
      return;
    }
    if (fault?.error) {
      const body = fail(fault.error, fault.extra);
      sendJson(res, 200, body);
      this.record({ ...base, status: 200, ok: false, error: fault.error, response: body, injected: 'fault' });
      return;
    }

    const teamId = ((token ? this.tokens.get(token) : undefined) ?? this.defaultIdentity()).teamId;
    this.rateObserver.record(teamId, method, at);
    const retryAfter = checkRateLimit(this, method, args, teamId);
    if (retryAfter !== undefined) {
      const body = { ok: false, error: 'ratelimited' };
      countRateLimited(this, method);
      sendJson(res, 429, body, { 'Retry-After': String(retryAfter) });
      this.record({
        ...base,
        status: 429,
        ok: false,
        error: 'ratelimited',
        response: body,
        injected: 'rate_limit',
      });
      return;
    }

    const body = await this.answer(method, args, token, req);
    sendJson(res, 200, body);
    const ok = body.ok === true;
    this.record({
      ...base,
      status: 200,
      ok,
      ...(ok ? {} : { error: String(body.error) }),
      response: body,
    });
  }

  private async answer(
    method: string,
    args: CallArgs,
    token: string | null,
    req: IncomingMessage,
  ): Promise<SlackResult> {
    const builtin = this.builtins[method];
    const custom = this.handlers.get(method);
    if (!builtin && !custom) {
      this.stats.unknownMethods += 1;
      return fail('unknown_method', { req_method: method });
    }
    if (method !== 'oauth.v2.access') {
      const authError = this.checkAuth(token);
      if (authError) return fail(authError);
    }
    const identity = (token ? this.tokens.get(token) : undefined) ?? this.defaultIdentity();
    const ctx: HandlerContext = { method, token, identity };
    if (!this.isLenient('scopes')) {
      const missing = checkScopes(method, identity.scopes ?? [], this.conversationKindOf(method, args));
      if (missing) return missing;
    }
    if (custom) {
      const result = await custom(args, ctx);
      if (result !== undefined) return result;
    }
    if (!builtin) return fail('unknown_method', { req_method: method });
    if (method === 'oauth.v2.access' || method === 'apps.uninstall') {
      applyBasicAuth(args, req.headers.authorization);
    }
    return builtin(args, ctx);
  }

  /** The conversation type a per-type method is called on (undefined when unknown or not per type). */
  private conversationKindOf(method: string, args: CallArgs): ConversationKind | undefined {
    if (method === 'conversations.open') {
      const channel = typeof args.channel === 'string' ? this.channels.get(args.channel) : undefined;
      if (channel) return channel.kind;
      const users = String(args.users ?? '')
        .split(',')
        .filter((u) => u.trim() !== '' && u.trim() !== this.bot.userId);
      return users.length > 1 ? 'mpim' : 'im';
    }
    const channel = typeof args.channel === 'string' ? this.channels.get(args.channel) : undefined;
    return channel?.kind;
  }

  private checkAuth(token: string | null): string | undefined {
    if (token && this.tokens.get(token)?.revoked) return 'token_revoked';
    if (!this.opts.requireToken) return undefined;
    if (!token) return 'not_authed';
    if (!this.tokens.has(token)) return 'invalid_auth';
    return undefined;
  }
}

/** Starts a fake Slack Web API server on 127.0.0.1 with a random port. Remember `await fake.close()`. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlack(opts);
  await fake.listen();
  return fake;
}
