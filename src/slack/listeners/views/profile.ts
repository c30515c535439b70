import type { App } from '@slack/bolt';
import { CALLBACKS } from '../../ids.ts';
import { parseProfileForm } from '../../parsers/view-state.ts';
import type { ListenerDeps } from '../deps.ts';

/** The profile modal: saved (and the Home republished), or errors shown under the fields. */
export function registerProfileView(app: App, deps: ListenerDeps): void {
  app.view(CALLBACKS.profile, async ({ ack, body, view, context }) => {
    const form = parseProfileForm(view.state.values, body.user.id);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    await ack();
    await deps.services.profile.save(context.teamId ?? body.team?.id ?? '', body.user.id, form.value);
  });
}
