// The profile modal opened in Slack for the profile service (its ProfileModalOpener port).
import type { SlackGateway } from '../services/ports.ts';
import type { ProfileModalOpener } from '../services/profile.ts';
import { buildProfileModal } from './views/profile-modal.ts';

export function createProfileModalOpener(slack: Pick<SlackGateway, 'openView'>): ProfileModalOpener {
  return {
    async open(workspaceId, triggerId, form) {
      const r = await slack.openView(workspaceId, triggerId, buildProfileModal(form));
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    },
  };
}
