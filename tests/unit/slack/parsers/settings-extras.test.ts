import { describe, expect, it } from 'vitest';
import { INTRO_BLOCKS as B, DIGEST_OFF } from '../../../../src/slack/ids.ts';
import { parseSettingsForm } from '../../../../src/slack/parsers/view-state.ts';

const input = (id: string, value: unknown) => ({ [id]: { [id]: value } });
const select = (id: string, value: string) =>
  input(id, { type: 'static_select', selected_option: { value } });
const checkbox = (id: string, on: boolean) =>
  input(id, { type: 'checkboxes', selected_options: on ? [{ value: 'on' }] : [] });
const number = (id: string, value: string) => input(id, { type: 'number_input', value });
const channel = (value: string | null) =>
  input(B.settingsDigestChannel, { type: 'conversations_select', selected_conversation: value });

const PROGRAM = {
  ...select(B.settingsCadence, 'weekly'),
  ...select(B.settingsWeekday, '1'),
  ...select(B.settingsHour, '10'),
  ...input(B.settingsTz, { type: 'plain_text_input', value: 'UTC' }),
  ...select(B.settingsGroupSize, '2'),
  ...number(B.settingsRepeatWindow, '12'),
  ...checkbox(B.settingsHeadsUp, true),
  ...select(B.settingsDepartmentField, 'auto'),
};
const FULL = {
  ...PROGRAM,
  ...checkbox(B.settingsRecap, false),
  ...channel('C0DIGEST'),
  ...select(B.settingsDigestWeekday, '3'),
  ...checkbox(B.settingsLeaderboard, true),
  ...input(B.settingsGiveEmoji, { type: 'plain_text_input', value: ' :Taco: ' }),
  ...number(B.settingsDailyGiveCap, '8'),
  ...number(B.settingsReconnectDays, '75'),
  ...number(B.settingsPurgeGraceDays, '14'),
};

describe('settings form: digest, leaderboard, recap, gives and reconnects', () => {
  it('reads every workspace field', () => {
    const r = parseSettingsForm(FULL);
    expect(r.ok && r.value).toMatchObject({
      recap: false,
      digestChannelId: 'C0DIGEST',
      digestWeekday: 3,
      leaderboard: true,
      giveEmoji: 'taco',
      dailyGiveCap: 8,
      reconnectDays: 75,
      purgeGraceDays: 14,
    });
  });

  it('leaves out fields the modal did not have (they keep their stored values)', () => {
    const r = parseSettingsForm(PROGRAM);
    expect(r.ok).toBe(true);
    if (r.ok) {
      for (const key of [
        'recap',
        'digestChannelId',
        'digestWeekday',
        'leaderboard',
        'giveEmoji',
        'dailyGiveCap',
        'reconnectDays',
        'purgeGraceDays',
      ]) {
        expect(key in r.value).toBe(false);
      }
    }
  });

  it('turns the digest off with no channel, or with the Off day even when a channel is picked', () => {
    const none = parseSettingsForm({ ...FULL, ...channel(null) });
    expect(none.ok && none.value.digestChannelId).toBeNull();
    const off = parseSettingsForm({ ...FULL, ...select(B.settingsDigestWeekday, DIGEST_OFF) });
    expect(off.ok && off.value.digestChannelId).toBeNull();
    const empty = parseSettingsForm({
      ...FULL,
      ...input(B.settingsGiveEmoji, { type: 'plain_text_input', value: '' }),
    });
    expect(empty.ok && empty.value.giveEmoji).toBe('gift');
  });

  it.each([
    [B.settingsDigestChannel, channel('D0DM')],
    [B.settingsDigestWeekday, select(B.settingsDigestWeekday, '9')],
    [B.settingsGiveEmoji, input(B.settingsGiveEmoji, { type: 'plain_text_input', value: 'two words' })],
    [B.settingsDailyGiveCap, number(B.settingsDailyGiveCap, '0')],
    [B.settingsDailyGiveCap, number(B.settingsDailyGiveCap, '101')],
    [B.settingsReconnectDays, number(B.settingsReconnectDays, '59')],
    [B.settingsReconnectDays, number(B.settingsReconnectDays, '121')],
    [B.settingsReconnectDays, number(B.settingsReconnectDays, '90.5')],
  ])('refuses a bad %s under its own field', (block, patch) => {
    const r = parseSettingsForm({ ...FULL, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual([block]);
  });

  it.each([
    ['14', 14],
    ['0', 0],
    ['365', 365],
  ])('keeps data %s days after an uninstall', (value, days) => {
    const r = parseSettingsForm({ ...FULL, ...number(B.settingsPurgeGraceDays, value) });
    expect(r.ok && r.value.purgeGraceDays).toBe(days);
  });

  it.each(['-1', '366', 'abc', '', '7.5'])(
    'refuses %j days after an uninstall, naming the allowed range',
    (value) => {
      const r = parseSettingsForm({ ...FULL, ...number(B.settingsPurgeGraceDays, value) });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errors).toEqual({ [B.settingsPurgeGraceDays]: expect.stringContaining('from 0 to 365') });
      }
    },
  );
});
