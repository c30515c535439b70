import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../ids.ts';
import { buildForgetDone } from '../../views/privacy.ts';
import type { ListenerDeps } from '../deps.ts';

/** Days paused by the App Home's "Pause 2 weeks". */
const HOME_PAUSE_DAYS = 14;

/**
 * The member's own buttons: Edit profile, Pause / Resume, Skip next round and Export my data (App Home;
 * each service call republishes the Home or sends a DM), and the confirm button of `/intro forget`.
 */
export function registerMemberActions(app: App, deps: ListenerDeps): void {
  const s = deps.services;

  app.action<BlockButtonAction>(ACTIONS.openProfile, async ({ ack, body, context }) => {
    await ack();
    const workspaceId = context.teamId ?? body.team?.id;
    if (!workspaceId) return;
    await s.profile.openModal({ workspaceId, userId: body.user.id, triggerId: body.trigger_id });
  });

  app.action<BlockButtonAction>(ACTIONS.pauseToggle, async ({ ack, body, context }) => {
    await ack();
    const workspaceId = context.teamId ?? body.team?.id;
    if (workspaceId) await s.profile.pauseFor(workspaceId, body.user.id, HOME_PAUSE_DAYS);
  });

  app.action<BlockButtonAction>(ACTIONS.resume, async ({ ack, body, context }) => {
    await ack();
    const workspaceId = context.teamId ?? body.team?.id;
    if (workspaceId) await s.profile.resume(workspaceId, body.user.id);
  });

  app.action<BlockButtonAction>(ACTIONS.skip, async ({ ack, body, context }) => {
    await ack();
    const workspaceId = context.teamId ?? body.team?.id;
    if (workspaceId) await s.profile.skip(workspaceId, body.user.id);
  });

  app.action<BlockButtonAction>(ACTIONS.exportData, async ({ ack, body, context }) => {
    await ack();
    const workspaceId = context.teamId ?? body.team?.id;
    if (workspaceId) await s.privacy.exportData(workspaceId, body.user.id);
  });

  app.action<BlockButtonAction>(ACTIONS.forgetConfirm, async ({ ack, body, respond, context }) => {
    await ack();
    const workspaceId = context.teamId ?? body.team?.id;
    if (!workspaceId) return;
    const r = await s.privacy.forget(workspaceId, body.user.id);
    await respond({ replace_original: true, ...buildForgetDone(r) });
  });
}
