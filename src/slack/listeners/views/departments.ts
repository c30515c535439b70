import type { App } from '@slack/bolt';
import { CALLBACKS } from '../../ids.ts';
import { parseDepartmentsForm } from '../../parsers/departments-form.ts';
import { buildDepartmentsApplyingView, buildDepartmentsReport } from '../../views/departments.ts';
import type { ListenerDeps } from '../deps.ts';

/**
 * The departments modal: checked at once (errors under the fields), acknowledged, then applied — reading
 * user groups or matching a CSV can take longer than Slack's 3 seconds — and summed up in a DM.
 */
export function registerDepartmentsView(app: App, deps: ListenerDeps): void {
  app.view(CALLBACKS.departments, async ({ ack, body, view, context }) => {
    const workspaceId = context.teamId ?? body.team?.id ?? '';
    const form = parseDepartmentsForm(view.state.values, view.private_metadata);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    await ack({ response_action: 'update', view: buildDepartmentsApplyingView() });
    const changes = await deps.services.departments.apply(workspaceId, body.user.id, form.value);
    await deps.services.departments.tell(
      workspaceId,
      body.user.id,
      changes === 'not_admin'
        ? { text: 'Only workspace admins can change departments; nothing was changed.' }
        : buildDepartmentsReport(changes),
    );
  });
}
