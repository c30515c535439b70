import type { App } from '@slack/bolt';
import { register as registerActions } from './actions/index.ts';
import { register as registerCommands } from './commands/index.ts';
import type { ListenerDeps } from './deps.ts';
import { register as registerEvents } from './events/index.ts';
import { register as registerViews } from './views/index.ts';

/** Registers every listener on the Bolt app: one function per Slack surface. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommands(app, deps);
  registerEvents(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
}
