/**
 * Scope checks: a method answers `missing_scope` unless the token's scopes cover what Slack's reference
 * (tests/support/slack-reference.ts) requires for that method and, where Slack splits it, conversation type.
 * Granted scopes default to manifest.yml's `oauth_config.scopes.bot`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { type ConversationKind, METHODS } from '../slack-reference.ts';
import type { SlackResult } from './types.ts';

const MANIFEST = join(import.meta.dirname, '../../../manifest.yml');

let cached: string[] | undefined;

/** The bot scopes manifest.yml grants (read once). */
export function grantedScopes(): string[] {
  if (!cached) {
    const manifest: unknown = YAML.parse(readFileSync(MANIFEST, 'utf8'));
    const bot = (manifest as { oauth_config?: { scopes?: { bot?: unknown } } }).oauth_config?.scopes?.bot;
    cached = Array.isArray(bot) ? bot.map(String) : [];
  }
  return [...cached];
}

/**
 * The `missing_scope` answer for a call, or undefined when the scopes suffice. `kind` is the conversation
 * type the call is about (undefined when the method is not per-conversation, or the conversation is unknown —
 * the method then answers channel_not_found itself).
 */
export function checkScopes(
  method: string,
  granted: string[],
  kind?: ConversationKind,
): SlackResult | undefined {
  const ref = METHODS[method];
  if (!ref) return undefined;
  let needed: string[];
  if (Array.isArray(ref.scopes)) needed = ref.scopes;
  else if (kind) needed = [ref.scopes[kind]];
  else return undefined;
  const missing = needed.filter((s) => !granted.includes(s));
  if (missing.length === 0) return undefined;
  return { ok: false, error: 'missing_scope', needed: missing.join(','), provided: granted.join(',') };
}
