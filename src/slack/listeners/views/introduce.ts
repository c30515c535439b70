import type { App } from '@slack/bolt';
import { CALLBACKS } from '../../ids.ts';
import { channelMetadataSchema, parseIntroduceForm, parseMetadata } from '../../parsers/view-state.ts';
import {
  buildIntroduceDoneView,
  buildIntroduceModal,
  buildIntroduceSendingView,
} from '../../views/intro-invite.ts';
import type { ListenerDeps } from '../deps.ts';
import { ackThenUpdate } from './ack-then-update.ts';

/**
 * The introduce modal (`/intro @someone`): input errors under the fields at once; otherwise acked with
 * "Sending…", then the modal shows the invites sent, or the form again with what stopped them.
 */
export function registerIntroduceView(app: App, deps: ListenerDeps): void {
  app.view(CALLBACKS.introduce, async ({ ack, body, view, context }) => {
    const form = parseIntroduceForm(view.state.values);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const workspaceId = context.teamId ?? body.team?.id ?? '';
    const channelId = parseMetadata(channelMetadataSchema, view.private_metadata)?.channelId;
    const again = (problem: string) =>
      buildIntroduceModal({ ...form.value, ...(channelId ? { channelId } : {}), problem });
    await ackThenUpdate(deps, {
      ack: (response) => ack(response),
      workspaceId,
      viewId: view.id,
      pending: buildIntroduceSendingView(),
      failed: again('Something went wrong on our side. Please try again.'),
      work: async () => {
        const r = await deps.services.intros.introduce({
          workspaceId,
          introducerId: body.user.id,
          userIds: form.value.userIds,
          reason: form.value.reason,
        });
        return r.ok ? buildIntroduceDoneView(r.userIds, r.expiresAt) : again(r.message);
      },
    });
  });
}
