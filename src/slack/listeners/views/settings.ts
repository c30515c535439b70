import type { App } from '@slack/bolt';
import { CALLBACKS, INTRO_BLOCKS } from '../../ids.ts';
import { parseMetadata, parseSettingsForm, settingsMetadataSchema } from '../../parsers/view-state.ts';
import { buildSettingsSavedView } from '../../views/settings-modal.ts';
import type { ListenerDeps } from '../deps.ts';

/** The admin settings modal: saved for the program it was opened for, or errors under the fields. */
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
    const r = await deps.services.adminSettings.save({
      workspaceId: context.teamId ?? body.team?.id ?? '',
      userId: body.user.id,
      programId: meta.programId,
      form: form.value,
    });
    await ack(
      r.ok
        ? { response_action: 'update', view: buildSettingsSavedView(r.channelId, r.summary) }
        : { response_action: 'errors', errors: r.errors },
    );
  });
}
