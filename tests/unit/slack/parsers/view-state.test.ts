import { describe, expect, it } from 'vitest';
import { INTRO_BLOCKS as B } from '../../../../src/slack/ids.ts';
import {
  encodeIntroRequest,
  parseIntroduceForm,
  parseIntroId,
  parseIntroRequest,
  parseMetadata,
  parseProfileForm,
  parseSettingsForm,
  settingsMetadataSchema,
} from '../../../../src/slack/parsers/view-state.ts';

const input = (id: string, value: unknown) => ({ [id]: { [id]: value } });
const text = (id: string, value: string) => input(id, { type: 'plain_text_input', value });
const select = (id: string, value: string) =>
  input(id, { type: 'static_select', selected_option: { value } });

const SETTINGS = {
  ...select(B.settingsCadence, 'weekly'),
  ...select(B.settingsWeekday, '1'),
  ...select(B.settingsHour, '0'),
  ...text(B.settingsTz, 'Europe/Berlin'),
  ...select(B.settingsGroupSize, '2'),
  ...input(B.settingsRepeatWindow, { type: 'number_input', value: '12' }),
  ...input(B.settingsHeadsUp, { type: 'checkboxes', selected_options: [{ value: 'on' }] }),
  ...select(B.settingsDepartmentField, 'auto'),
};

describe('view state parsers', () => {
  it('reads the profile form, dropping the member from their own "don\'t pair me with" list', () => {
    const r = parseProfileForm(
      {
        ...text(B.profileDepartment, '  Customer   Success '),
        ...text(B.profileExpertise, 'pricing, SQL'),
        ...input(B.profileDoNotPair, {
          type: 'multi_users_select',
          selected_users: ['U1', 'U2', 'U1', 'U9'],
        }),
        ...input(B.profileGiveDms, { type: 'checkboxes', selected_options: [{ value: 'on' }] }),
      },
      'U9',
    );
    expect(r).toEqual({
      ok: true,
      value: {
        department: 'Customer Success',
        expertise: ['pricing', 'SQL'],
        interests: [],
        doNotPair: ['U1', 'U2'],
        giveDms: true,
      },
    });
  });

  it.each([
    [
      'too many tags',
      text(B.profileExpertise, Array.from({ length: 16 }, (_, i) => `t${i}`).join(',')),
      B.profileExpertise,
    ],
    ['a long tag', text(B.profileInterests, 'x'.repeat(51)), B.profileInterests],
    ['a long department', text(B.profileDepartment, 'd'.repeat(81)), B.profileDepartment],
  ])('refuses %s under the right field', (_l, values, block) => {
    const r = parseProfileForm(values, 'U9');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual([block]);
  });

  it('treats malformed state as an error, never a throw', () => {
    for (const raw of [null, 'x', 42, { a: 1 }, { a: { b: { type: 1 } } }]) {
      expect(parseProfileForm(raw, 'U1').ok).toBe(false);
      expect(parseSettingsForm(raw).ok).toBe(false);
      expect(parseIntroduceForm(raw).ok).toBe(false);
    }
  });

  it('reads the settings form; "auto" means the automatic department field', () => {
    expect(parseSettingsForm(SETTINGS)).toEqual({
      ok: true,
      value: {
        cadence: 'weekly',
        weekday: 1,
        hour: 0,
        tz: 'Europe/Berlin',
        groupSize: 2,
        repeatWindow: 12,
        headsUp: true,
        departmentField: null,
      },
    });
    const title = parseSettingsForm({ ...SETTINGS, ...select(B.settingsDepartmentField, 'title') });
    expect(title.ok && title.value.departmentField).toBe('title');
  });

  it.each([
    [B.settingsCadence, select(B.settingsCadence, 'daily')],
    [B.settingsWeekday, select(B.settingsWeekday, '8')],
    [B.settingsHour, select(B.settingsHour, '24')],
    [B.settingsHour, input(B.settingsHour, { type: 'static_select', selected_option: null })],
    [B.settingsTz, text(B.settingsTz, 'Mars/Olympus')],
    [B.settingsGroupSize, select(B.settingsGroupSize, '4')],
    [B.settingsRepeatWindow, input(B.settingsRepeatWindow, { type: 'number_input', value: '1.5' })],
    [B.settingsRepeatWindow, input(B.settingsRepeatWindow, { type: 'number_input', value: '' })],
  ])('refuses a bad %s', (block, patch) => {
    const r = parseSettingsForm({ ...SETTINGS, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual([block]);
  });

  it('wants exactly two different people in the introduce form', () => {
    const people = (ids: string[]) =>
      input(B.introducePeople, { type: 'multi_users_select', selected_users: ids });
    expect(parseIntroduceForm({ ...people(['U1', 'U2']), ...text(B.introduceReason, ' why ') })).toEqual({
      ok: true,
      value: { userIds: ['U1', 'U2'], reason: 'why' },
    });
    expect(parseIntroduceForm(people(['U1', 'U1'])).ok).toBe(false);
    expect(parseIntroduceForm(people(['U1'])).ok).toBe(false);
    expect(
      parseIntroduceForm({ ...people(['U1', 'U2']), ...text(B.introduceReason, 'r'.repeat(2001)) }).ok,
    ).toBe(false);
  });

  it('round-trips button values and rejects forged ones', () => {
    expect(parseIntroRequest(encodeIntroRequest({ u: 'U0BEN', t: 'pricing' }))).toEqual({
      u: 'U0BEN',
      t: 'pricing',
    });
    for (const bad of ['', 'x', '{"u":"<!here>","t":""}', '{"u":"U1"}', null, 5]) {
      expect(parseIntroRequest(bad)).toBeUndefined();
    }
    expect(parseIntroId('0b6c5a3e-7a1f-4c1e-9d2b-1f2e3d4c5b6a')).toBe('0b6c5a3e-7a1f-4c1e-9d2b-1f2e3d4c5b6a');
    expect(parseIntroId("1' OR 1=1")).toBeUndefined();
    expect(parseMetadata(settingsMetadataSchema, '{"programId":"p1","channelId":"C0PAIRS"}')).toEqual({
      programId: 'p1',
      channelId: 'C0PAIRS',
    });
    expect(parseMetadata(settingsMetadataSchema, '{not json')).toBeUndefined();
  });
});
