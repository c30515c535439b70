import type { App } from '@slack/bolt';
import { CALLBACKS, INTRO_BLOCKS } from '../../ids.ts';
import { parseIntroduceForm } from '../../parsers/view-state.ts';
import { buildIntroduceDoneView, plainFieldError } from '../../views/intro-invite.ts';
import type { ListenerDeps } from '../deps.ts';

/** The introduce modal (`/intro @someone`): invites both people, or says under the field what to fix. */
export function registerIntroduceView(app: App, deps: ListenerDeps): void {
  app.view(CALLBACKS.introduce, async ({ ack, body, view, context }) => {
    const form = parseIntroduceForm(view.state.values);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const r = await deps.services.intros.introduce({
      workspaceId: context.teamId ?? body.team?.id ?? '',
      introducerId: body.user.id,
      userIds: form.value.userIds,
      reason: form.value.reason,
    });
    await ack(
      r.ok
        ? { response_action: 'update', view: buildIntroduceDoneView(r.userIds, r.expiresAt) }
        : {
            response_action: 'errors',
            errors: { [INTRO_BLOCKS.introducePeople]: plainFieldError(r.message) },
          },
    );
  });
}
