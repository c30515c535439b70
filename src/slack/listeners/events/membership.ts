import type { App } from '@slack/bolt';
import { parseSlackUser } from '../../gateway-schemas.ts';
import type { ListenerDeps } from '../deps.ts';

/** member_joined_channel, member_left_channel, user_change, team_join. */
export function registerMembershipEvents(app: App, deps: ListenerDeps): void {
  app.event('member_joined_channel', async ({ event, context }) => {
    await deps.services.membership.joinedChannel({
      workspaceId: context.teamId ?? event.team,
      channelId: event.channel,
      userId: event.user,
      inviterId: event.inviter ?? null,
    });
  });

  app.event('member_left_channel', async ({ event, context }) => {
    await deps.services.membership.leftChannel({
      workspaceId: context.teamId ?? event.team,
      channelId: event.channel,
      userId: event.user,
    });
  });

  app.event('user_change', async ({ event, context }) => {
    if (!context.teamId) return;
    const user = parseSlackUser(event.user);
    if (!user) {
      deps.log.warn({ event: event.type }, 'user object does not match its schema; event ignored');
      return;
    }
    await deps.services.membership.profileChanged(context.teamId, user);
  });

  // A new person in the workspace: stored, and welcomed when the admin turned that on.
  app.event('team_join', async ({ event, context }) => {
    if (!context.teamId) return;
    const user = parseSlackUser(event.user);
    if (!user) {
      deps.log.warn({ event: event.type }, 'user object does not match its schema; event ignored');
      return;
    }
    await deps.services.membership.joinedWorkspace(context.teamId, user);
  });
}
