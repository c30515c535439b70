import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import { registerIntroduceView } from './introduce.ts';
import { registerProfileView } from './profile.ts';
import { registerSettingsView } from './settings.ts';

/** Registers every modal submission listener. */
export function register(app: App, deps: ListenerDeps): void {
  registerIntroduceView(app, deps);
  registerProfileView(app, deps);
  registerSettingsView(app, deps);
}
