import type { ModalView } from '@slack/types';
import type { ListenerDeps } from '../deps.ts';

/**
 * Acks a view submission at once with `pending` (Slack allows 3 seconds, and the work may take longer
 * under load), then runs `work` and replaces the modal with the view it returns. Only cheap,
 * synchronous input checks may answer with `response_action: 'errors'` before this.
 */
export async function ackThenUpdate(
  deps: ListenerDeps,
  opts: {
    ack: (body: { response_action: 'update'; view: ModalView }) => Promise<void>;
    workspaceId: string;
    viewId: string;
    pending: ModalView;
    work: () => Promise<ModalView>;
    failed: ModalView;
  },
): Promise<void> {
  await opts.ack({ response_action: 'update', view: opts.pending });
  let result: ModalView;
  try {
    result = await opts.work();
  } catch (error) {
    // The user must still hear something; the error goes on to Bolt's error handler.
    await deps.slack.updateView(opts.workspaceId, opts.viewId, opts.failed).catch(() => undefined);
    throw error;
  }
  const updated = await deps.slack.updateView(opts.workspaceId, opts.viewId, result);
  if (!updated.ok) {
    deps.log.warn(
      { workspaceId: opts.workspaceId, error: updated.error },
      'could not show a submission result (modal closed?)',
    );
  }
}
