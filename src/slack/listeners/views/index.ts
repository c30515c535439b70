import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import { registerDepartmentsView } from './departments.ts';
import { registerIntroduceView } from './introduce.ts';
import { registerProfileView } from './profile.ts';
import { registerSettingsView } from './settings.ts';

/** Registers every modal submission listener. */
export function register(app: App, deps: ListenerDeps): void {
  registerDepartmentsView(app, deps);
  registerIntroduceView(app, deps);
  registerProfileView(app, deps);
  registerSettingsView(app, deps);
}
