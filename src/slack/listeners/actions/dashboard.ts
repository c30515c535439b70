import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../ids.ts';

/**
 * The admin Home's "Open the network dashboard" is a link button: Slack opens the URL itself but still
 * sends the click, which must be acknowledged or Slack marks the button as failed. Nothing else to do.
 */
export function registerDashboardActions(app: App): void {
  app.action<BlockButtonAction>(ACTIONS.openDashboard, async ({ ack }) => {
    await ack();
  });
}
