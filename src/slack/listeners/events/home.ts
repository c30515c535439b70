import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';

/** app_home_opened: publish the member's Home. */
export function registerHomeEvents(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, context }) => {
    if (event.tab !== 'home' || !context.teamId) return;
    await deps.services.home.publish(context.teamId, event.user);
  });
}
