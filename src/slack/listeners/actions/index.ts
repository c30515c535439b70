import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import { registerIntroActions } from './intro.ts';
import { registerMemberActions } from './member.ts';

/** Registers every button listener. */
export function register(app: App, deps: ListenerDeps): void {
  registerIntroActions(app, deps);
  registerMemberActions(app, deps);
}
