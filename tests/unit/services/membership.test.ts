import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import type { MemberService } from '../../../src/services/members.ts';
import { createMembershipService } from '../../../src/services/membership.ts';
import type { SlackUser } from '../../../src/services/ports.ts';

type Deps = Parameters<typeof createMembershipService>[0];

const person = (over: Partial<SlackUser> = {}): SlackUser => ({
  id: 'U0NEW01',
  name: 'nova',
  realName: 'Nova New',
  title: '',
  tz: 'Europe/Berlin',
  isBot: false,
  isDeleted: false,
  isGuest: false,
  isAdmin: false,
  fields: {},
  ...over,
});

/**
 * A workspace whose "welcome people who join the workspace" setting starts as `enabled`; `onStored`
 * runs the moment the person's row is written (what another reader of the database would first see).
 */
function workspace(enabled: boolean, onStored: (setting: { enabled: boolean }) => void = () => {}) {
  const setting = { enabled };
  const stored: string[] = [];
  const welcomed: string[] = [];
  const members = {
    departmentField: async () => null,
    saveFromSlack: async (_ws: string, user: SlackUser) => {
      stored.push(user.id);
      onStored(setting);
    },
  } as unknown as MemberService;
  const service = createMembershipService({
    members,
    log: createLogger('silent'),
    clock: { now: () => new Date('2026-12-04T10:00:00Z') },
    onboard: async (_ws, userId) => {
      welcomed.push(userId);
    },
    onboardOnWorkspaceJoin: async () => setting.enabled,
  } as Partial<Deps> as Deps);
  return { service, stored, welcomed };
}

describe('someone joins the workspace', () => {
  it('is stored and welcomed when the admin turned welcomes on, stored only when off', async () => {
    const on = workspace(true);
    await on.service.joinedWorkspace('T1', person());
    expect(on.stored).toEqual(['U0NEW01']);
    expect(on.welcomed).toEqual(['U0NEW01']);

    const off = workspace(false);
    await off.service.joinedWorkspace('T1', person());
    expect(off.stored).toEqual(['U0NEW01']);
    expect(off.welcomed).toEqual([]);
  });

  it('follows the setting as it was when the join was handled, not one changed once the person is stored', async () => {
    // The admin turns welcomes on right after the person appears: this join was handled while off.
    const turnedOn = workspace(false, (s) => {
      s.enabled = true;
    });
    await turnedOn.service.joinedWorkspace('T1', person());
    expect(turnedOn.welcomed).toEqual([]);

    const turnedOff = workspace(true, (s) => {
      s.enabled = false;
    });
    await turnedOff.service.joinedWorkspace('T1', person());
    expect(turnedOff.welcomed).toEqual(['U0NEW01']);
  });

  it('never welcomes a bot or a deactivated account, whatever the setting', async () => {
    const w = workspace(true);
    await w.service.joinedWorkspace('T1', person({ id: 'B0BOT01', isBot: true }));
    await w.service.joinedWorkspace('T1', person({ id: 'U0GONE1', isDeleted: true }));
    expect(w.stored).toEqual(['B0BOT01', 'U0GONE1']);
    expect(w.welcomed).toEqual([]);
  });
});
