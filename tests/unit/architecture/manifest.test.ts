import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createLogger } from '../../../src/observability/logger.ts';
import { BOT_SCOPES } from '../../../src/slack/bolt-app.ts';
import type { ListenerDeps } from '../../../src/slack/listeners/deps.ts';
import { registerListeners } from '../../../src/slack/listeners/index.ts';

const ROOT = join(import.meta.dirname, '../../..');
const SCHEMA_DIR = join(ROOT, '../shared/slack/manifest-schema');
const manifest = YAML.parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8'));

/** Records what the listeners register, without a real Bolt app. */
function recordRegistrations() {
  const seen = {
    commands: [] as string[],
    events: [] as string[],
    actions: [] as string[],
    views: [] as string[],
  };
  const name = (x: unknown) =>
    typeof x === 'string' ? x : x instanceof RegExp ? x.source : JSON.stringify(x);
  const recorder = {
    command: (n: unknown) => seen.commands.push(name(n)),
    event: (n: unknown) => seen.events.push(name(n)),
    message: () => seen.events.push('message'),
    action: (n: unknown) => seen.actions.push(name(n)),
    view: (n: unknown) => seen.views.push(name(n)),
    options: () => undefined,
    shortcut: () => undefined,
    use: () => undefined,
    error: () => undefined,
  };
  const deps = { log: createLogger('silent'), services: {} } as unknown as ListenerDeps;
  registerListeners(recorder as unknown as App, deps);
  return seen;
}

describe('manifest.yml', () => {
  it.skipIf(!existsSync(SCHEMA_DIR))(
    "validates against Slack's manifest schema (skipped where ../shared is absent)",
    () => {
      const ajv = new Ajv.default({ strict: false, allErrors: true });
      addFormats.default(ajv);
      for (const v of ['1.0.0', '2.0.0']) {
        const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, `manifest.schema.${v}.json`), 'utf8'));
        ajv.addSchema(
          schema,
          `https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.${v}.json`,
        );
      }
      const validate = ajv.compile(
        JSON.parse(readFileSync(join(SCHEMA_DIR, 'manifest.schema.json'), 'utf8')),
      );
      expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
      const broken = structuredClone(manifest);
      broken.features.slash_commands[0].command = 'intro';
      expect(validate(broken)).toBe(false);
    },
  );

  it('declares exactly the slash commands the code registers', () => {
    const declared = manifest.features.slash_commands.map((c: { command: string }) => c.command).sort();
    expect(recordRegistrations().commands.sort()).toEqual(declared);
  });

  it('subscribes to exactly the bot events the code listens to', () => {
    const declared: string[] = manifest.settings.event_subscriptions.bot_events;
    const asRegistered = [...new Set(declared.map((e) => e.split('.')[0] as string))].sort();
    expect([...new Set(recordRegistrations().events)].sort()).toEqual(asRegistered);
  });

  it('requests the bot scopes the app asks for at OAuth install', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });
});
