import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import { registerDirectMessageEvents } from './direct-message.ts';
import { registerGiveEvents } from './gives.ts';
import { registerHomeEvents } from './home.ts';
import { registerLifecycleEvents } from './lifecycle.ts';
import { registerMembershipEvents } from './membership.ts';

/** Registers every Events API listener. */
export function register(app: App, deps: ListenerDeps): void {
  registerMembershipEvents(app, deps);
  registerGiveEvents(app, deps);
  registerHomeEvents(app, deps);
  registerLifecycleEvents(app, deps);
  registerDirectMessageEvents(app, deps);
}
