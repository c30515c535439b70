import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';
import { registerDashboardActions } from './dashboard.ts';
import { registerFollowUpActions } from './followups.ts';
import { registerIntroActions } from './intro.ts';
import { registerMeetingActions } from './meetings.ts';
import { registerMemberActions } from './member.ts';

/** Registers every button listener. */
export function register(app: App, deps: ListenerDeps): void {
  registerIntroActions(app, deps);
  registerFollowUpActions(app, deps);
  registerDashboardActions(app);
  registerMemberActions(app, deps);
  registerMeetingActions(app, deps);
}
