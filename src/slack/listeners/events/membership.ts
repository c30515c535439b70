import type { App } from '@slack/bolt';
import { toUser } from '../../gateway.ts';
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
    await deps.services.membership.profileChanged(
      context.teamId,
      toUser(event.user as unknown as Record<string, unknown>),
    );
  });

  // A new person in the workspace: stored, and welcomed when the admin turned that on.
  app.event('team_join', async ({ event, context }) => {
    if (!context.teamId) return;
    await deps.services.membership.joinedWorkspace(
      context.teamId,
      toUser(event.user as unknown as Record<string, unknown>),
    );
  });
}
