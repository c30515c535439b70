import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  EVENTS,
  FEATURE_SCOPES,
  IMPLICIT_METHODS,
  METHODS,
  scopesFor,
  WEAVE_CONVERSATION_KINDS,
} from '../../support/slack-reference.ts';

const ROOT = join(import.meta.dirname, '../../..');
const manifest = YAML.parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8'));
const manifestScopes: string[] = manifest.oauth_config.scopes.bot;
const manifestEvents: string[] = manifest.settings.event_subscriptions.bot_events;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const FAMILIES =
  'api|apps|auth|bots|chat|conversations|dialog|files|oauth|reactions|team|usergroups|users|views';
/** `'chat.postMessage'` literals (the gateway's call sites and the pacer) and `client.chat.postMessage(` calls. */
const LITERAL = new RegExp(`['"\`]((?:${FAMILIES})\\.[a-zA-Z]+(?:\\.[a-zA-Z]+)*)['"\`]`, 'g');
const CLIENT_CALL = new RegExp(`\\bclient\\.((?:${FAMILIES})\\.[a-zA-Z]+(?:\\.[a-zA-Z]+)*)\\(`, 'g');

/** Every Web API method src/ names, with the files naming it. */
function methodsCalledInSrc(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const re of [LITERAL, CLIENT_CALL]) {
      for (const m of text.matchAll(re)) {
        const method = m[1] as string;
        found.set(method, [...(found.get(method) ?? []), file.slice(ROOT.length + 1)]);
      }
    }
  }
  for (const method of IMPLICIT_METHODS) found.set(method, [...(found.get(method) ?? []), '(Bolt)']);
  return found;
}

/** The scopes Weave needs: its methods on the conversation kinds it uses them on, its events, its features. */
function neededScopes(methods: Iterable<string>): Map<string, string[]> {
  const why = new Map<string, string[]>();
  const need = (scope: string, reason: string) => why.set(scope, [...(why.get(scope) ?? []), reason]);
  for (const method of methods) {
    const kinds = WEAVE_CONVERSATION_KINDS[method];
    const scopes = kinds ? kinds.flatMap((k) => scopesFor(method, k)) : scopesFor(method);
    for (const s of scopes) need(s, method);
  }
  for (const event of manifestEvents) for (const s of EVENTS[event] ?? []) need(s, `event ${event}`);
  for (const [scope, reason] of Object.entries(FEATURE_SCOPES)) need(scope, reason);
  return why;
}

describe("contract with Slack's reference", () => {
  const called = methodsCalledInSrc();

  it('finds the Web API methods src/ calls (the scan works)', () => {
    expect([...called.keys()]).toEqual(expect.arrayContaining(['chat.postMessage', 'conversations.history']));
  });

  it("lists every method src/ calls in the reference table, with its doc page and Slack's tier", () => {
    const missing = [...called.keys()].filter((m) => METHODS[m] === undefined);
    expect(missing, `add these to tests/support/slack-reference.ts from their method pages`).toEqual([]);
    for (const method of called.keys()) {
      expect(METHODS[method]?.doc).toBe(`https://docs.slack.dev/reference/methods/${method}`);
    }
  });

  it('lists every subscribed event with the scope Slack requires for it', () => {
    expect(manifestEvents.filter((e) => !(e in EVENTS))).toEqual([]);
  });

  it('grants every scope the methods, events and features need', () => {
    const needed = neededScopes(called.keys());
    const lacking = [...needed.keys()].filter((s) => !manifestScopes.includes(s));
    expect(
      lacking.map((s) => `${s} (needed by ${needed.get(s)?.join(', ')})`),
      'manifest.yml lacks scopes',
    ).toEqual([]);
  });

  it('asks for no scope that nothing needs', () => {
    const needed = neededScopes(called.keys());
    expect(
      manifestScopes.filter((s) => !needed.has(s)),
      'manifest.yml asks for scopes nothing needs',
    ).toEqual([]);
  });

  it('subscribes to message.im, so a DM to Weave is heard (the Messages tab is writable)', () => {
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
    expect(manifestEvents).toContain('message.im');
  });
});
