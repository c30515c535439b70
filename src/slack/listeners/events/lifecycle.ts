import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.ts';

/** app_uninstalled and tokens_revoked: stop everything for the workspace. */
export function registerLifecycleEvents(app: App, deps: ListenerDeps): void {
  app.event('app_uninstalled', async ({ context }) => {
    const workspaceId = context.teamId ?? context.enterpriseId;
    if (workspaceId) await deps.services.lifecycle.uninstalled(workspaceId, 'app_uninstalled');
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    const workspaceId = context.teamId ?? context.enterpriseId;
    // Only the bot token matters to Weave (it stores no user tokens).
    if (workspaceId && (event.tokens.bot?.length ?? 0) > 0)
      await deps.services.lifecycle.uninstalled(workspaceId, 'tokens_revoked');
  });
}
