import { describe, expect, it } from 'vitest';
import { isWeaveAdmin, namedInConfig } from '../../../src/domain/admins.ts';

describe('who is a Weave admin (one rule for commands, departments, the Home and the dashboard)', () => {
  const member = (isAdmin: boolean, isDeleted = false) => ({ isAdmin, isDeleted });

  it('a Slack admin or owner is; an ordinary member is not', () => {
    expect(isWeaveAdmin({ namedInConfig: false, namedInSettings: false, member: member(true) })).toBe(true);
    expect(isWeaveAdmin({ namedInConfig: false, namedInSettings: false, member: member(false) })).toBe(false);
    expect(isWeaveAdmin({ namedInConfig: false, namedInSettings: false, member: null })).toBe(false);
  });

  it('someone an admin named in the settings is, even before their profile is read', () => {
    expect(isWeaveAdmin({ namedInConfig: false, namedInSettings: true, member: member(false) })).toBe(true);
    expect(isWeaveAdmin({ namedInConfig: false, namedInSettings: true, member: null })).toBe(true);
  });

  it('a deactivated account is not, however it was named, unless the deployment names it', () => {
    expect(isWeaveAdmin({ namedInConfig: false, namedInSettings: true, member: member(true, true) })).toBe(
      false,
    );
    expect(isWeaveAdmin({ namedInConfig: true, namedInSettings: false, member: member(false, true) })).toBe(
      true,
    );
  });

  it('the configuration names people by workspace and user, or by user alone', () => {
    expect(namedInConfig(['T1:U1'], 'T1', 'U1')).toBe(true);
    expect(namedInConfig(['T1:U1'], 'T2', 'U1')).toBe(false);
    expect(namedInConfig(['U1'], 'T2', 'U1')).toBe(true);
    expect(namedInConfig([], 'T1', 'U1')).toBe(false);
  });
});
