import type { App } from '@slack/bolt';
import { register as registerCommands } from './commands/index.ts';
import type { ListenerDeps } from './deps.ts';

/** Registers every listener on the Bolt app: one function per Slack surface. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommands(app, deps);
}
