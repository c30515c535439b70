import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import { registerGiveCommand } from './give.ts';
import { registerIntroCommand } from './intro.ts';

/** Registers every slash command listener. */
export function register(app: App, deps: ListenerDeps): void {
  registerIntroCommand(app, deps);
  registerGiveCommand(app, deps);
}
