import { describe, expect, it } from 'vitest';
import { workspaceSettingsSchema } from '../../../../src/domain/settings.ts';
import { INTRO_BLOCKS as B } from '../../../../src/slack/ids.ts';
import { buildFindResults } from '../../../../src/slack/views/find-results.ts';
import {
  buildIntroduceDoneView,
  buildIntroduceModal,
  buildIntroEndedNotice,
  buildIntroInvite,
  buildInviteAnswered,
  buildRequestedIntroMessage,
  plainFieldError,
} from '../../../../src/slack/views/intro-invite.ts';
import { buildStatusLine } from '../../../../src/slack/views/intro-status.ts';
import { buildExportMessages, buildForgetConfirm } from '../../../../src/slack/views/privacy.ts';
import { buildProfileModal } from '../../../../src/slack/views/profile-modal.ts';
import { buildSettingsModal } from '../../../../src/slack/views/settings-modal.ts';
import { validateBlocks, validateView } from '../../../support/fake-slack.ts';

const LONG = 'Très long texte 🎉 <!channel> & <b> '.repeat(400);
const person = { id: 'U1', department: LONG, title: LONG, expertise: [LONG, LONG, LONG, LONG] };
const expiresAt = new Date('2026-12-02T12:00:00Z');

describe('intro builders stay within Block Kit limits, even with huge input', () => {
  it('invites, answered invites and group messages', () => {
    for (const source of ['command', 'find', 'me'] as const) {
      const invite = buildIntroInvite({
        introId: '0b6c5a3e-7a1f-4c1e-9d2b-1f2e3d4c5b6a',
        source,
        introducerId: 'U9',
        other: person,
        reason: LONG,
        topic: LONG,
        expiresAt,
      });
      expect(validateBlocks(invite.blocks, 'message')).toEqual([]);
      expect(JSON.stringify(invite.blocks)).not.toContain('<!channel>');
    }
    for (const kind of ['accepted_done', 'declined', 'ended', 'expired'] as const) {
      expect(validateBlocks(buildInviteAnswered({ kind }).blocks, 'message')).toEqual([]);
    }
    expect(buildInviteAnswered({ kind: 'accepted_waiting', otherId: 'U2' }).text).toContain('<@U2>');
    const requested = buildRequestedIntroMessage({
      requesterId: 'U1',
      requester: person,
      other: { ...person, id: 'U2' },
      source: 'find',
      topic: LONG,
    });
    expect(validateBlocks(requested.blocks, 'message')).toEqual([]);
  });

  it('never names who declined', () => {
    for (const source of ['command', 'find', 'me'] as const) {
      for (const outcome of ['declined', 'expired'] as const) {
        const { text } = buildIntroEndedNotice({ source, outcome, userIds: ['U1', 'U2'], requesterId: 'U9' });
        expect(text).not.toMatch(/declined|said no|refused/i);
      }
    }
  });

  it('modals: introduce, profile and settings', () => {
    expect(
      validateView(buildIntroduceModal({ userIds: ['U1', 'U2', 'U3'], reason: LONG, channelId: 'C1' })),
    ).toEqual([]);
    expect(validateView(buildIntroduceDoneView(['U1', 'U2'], expiresAt))).toEqual([]);
    const profile = buildProfileModal({
      department: LONG,
      slackDepartment: LONG,
      expertise: Array.from({ length: 20 }, () => LONG),
      interests: [LONG],
      doNotPair: Array.from({ length: 80 }, (_, i) => `U${i}`),
      giveDms: true,
    });
    expect(validateView(profile)).toEqual([]);
    const settings = buildSettingsModal({
      programId: 'p1',
      channelId: 'C1',
      cadence: 'biweekly',
      weekday: 3,
      hour: 23,
      tz: 'America/New_York',
      groupSize: 3,
      repeatWindow: 12,
      headsUp: false,
      workspace: { ...workspaceSettingsSchema.parse({}), purgeGraceDays: 45 },
      departmentField: 'Xf0GONE',
      profileFields: Array.from({ length: 200 }, (_, i) => ({ id: `Xf${i}`, label: LONG })),
      created: true,
    });
    expect(validateView(settings)).toEqual([]);
    expect(settings.blocks.find((b) => b.block_id === B.settingsPurgeGraceDays)).toMatchObject({
      type: 'input',
      element: {
        type: 'number_input',
        action_id: B.settingsPurgeGraceDays,
        is_decimal_allowed: false,
        min_value: '0',
        max_value: '365',
        initial_value: '45',
      },
    });
    const fieldSelect = JSON.stringify(settings.blocks.at(-1));
    expect(fieldSelect).toContain('Xf0GONE');
  });

  it('find results, forget confirm and status lines', () => {
    const found = buildFindResults({
      topic: LONG.slice(0, 100),
      people: Array.from({ length: 5 }, (_, i) => ({
        userId: `U${i}`,
        department: LONG,
        title: LONG,
        tag: LONG,
        connections: i,
      })),
    });
    expect(validateBlocks(found.blocks, 'message')).toEqual([]);
    expect(found.blocks?.filter((b) => b.type === 'section' && 'accessory' in b)).toHaveLength(3);
    expect(buildFindResults({ topic: 'x', people: [] }).text).toContain('/intro me');
    expect(validateBlocks(buildForgetConfirm().blocks, 'message')).toEqual([]);
    const line = buildStatusLine({
      status: 'paused',
      pausedUntil: expiresAt,
      skipping: false,
      programs: [{ channelId: 'C1', nextRoundAt: expiresAt }],
    }).line;
    expect(line).toContain('Paused until');
  });

  it('splits exports under 40,000 characters per message', () => {
    const json = JSON.stringify(
      { rows: Array.from({ length: 3000 }, (_, i) => ({ i, note: 'x'.repeat(40) })) },
      null,
      2,
    );
    const parts = buildExportMessages(json);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThan(40_000);
    const joined = parts.map((p) => /```\n([\s\S]*)\n```/.exec(p)?.[1] ?? '').join('');
    expect(joined).toBe(json);
    expect(buildExportMessages('{"a":"```"}')[0]).not.toMatch(/```\n.*```.*\n```/);
  });

  it('turns service messages into plain field errors', () => {
    expect(plainFieldError('<@U123> is a bot; use `/intro`')).toBe('This person is a bot; use /intro');
    expect(plainFieldError(LONG).length).toBeLessThanOrEqual(150);
  });
});
