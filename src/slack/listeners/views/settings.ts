import type { App } from '@slack/bolt';
import { CALLBACKS, INTRO_BLOCKS } from '../../ids.ts';
import { parseMetadata, parseSettingsForm, settingsMetadataSchema } from '../../parsers/view-state.ts';
import {
  buildSettingsFailedView,
  buildSettingsSaveResultView,
  buildSettingsSavingView,
} from '../../views/settings-modal.ts';
import type { ListenerDeps } from '../deps.ts';
import { ackThenUpdate } from './ack-then-update.ts';

/**
 * The admin settings modal: input errors under the fields at once; otherwise acked with "Saving…",
 * saved for the program it was opened for, and the modal then shows the result.
 */
export function registerSettingsView(app: App, deps: ListenerDeps): void {
  app.view(CALLBACKS.settings, async ({ ack, body, view, context }) => {
    const meta = parseMetadata(settingsMetadataSchema, view.private_metadata);
    const form = parseSettingsForm(view.state.values);
    if (!meta) {
      await ack({
        response_action: 'errors',
        errors: {
          [INTRO_BLOCKS.settingsCadence]: 'This form is out of date. Close it and run /intro admin again.',
        },
      });
      return;
    }
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const workspaceId = context.teamId ?? body.team?.id ?? '';
    await ackThenUpdate(deps, {
      ack: (response) => ack(response),
      workspaceId,
      viewId: view.id,
      pending: buildSettingsSavingView(meta.channelId),
      failed: buildSettingsFailedView(meta.channelId, 'Something went wrong on our side. Please try again.'),
      work: async () => {
        const r = await deps.services.adminSettings.save({
          workspaceId,
          userId: body.user.id,
          programId: meta.programId,
          form: form.value,
        });
        return buildSettingsSaveResultView(meta.channelId, r);
      },
    });
  });
}
