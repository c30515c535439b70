/**
 * Default fixture workspace for the fake Slack server: team "Acme" (T0WEAVE1), twelve active humans spread over
 * four departments (plus one without a department), one guest, one deactivated user and the Weave bot.
 *
 * Specs here are friendly inputs; `fake-slack.ts` turns them into Slack-shaped user/channel objects.
 */

export const TEAM_ID = 'T0WEAVE1';
export const TEAM_NAME = 'Acme';
export const TEAM_DOMAIN = 'acme';
export const BOT_USER_ID = 'U0WEAVEBOT';
export const BOT_ID = 'B0WEAVEBOT';
export const APP_ID = 'A0WEAVE';
export const FAKE_BOT_TOKEN = 'xoxb-0000000001-weave-fake-token';
export const PAIRS_CHANNEL_ID = 'C0PAIRS';
export const GENERAL_CHANNEL_ID = 'C0GENERAL';
export const DEPARTMENT_FIELD_ID = 'Xf0DEPT';
export const OFFICE_FIELD_ID = 'Xf0OFFICE';
export const DEPARTMENTS = ['Engineering', 'Sales', 'Design', 'Finance'] as const;

export const USER_IDS = {
  anna: 'U0ANNA',
  ben: 'U0BEN',
  priya: 'U0PRIYA',
  liam: 'U0LIAM',
  sofia: 'U0SOFIA',
  marcus: 'U0MARCUS',
  hannah: 'U0HANNAH',
  arjun: 'U0ARJUN',
  maia: 'U0MAIA',
  noah: 'U0NOAH',
  emma: 'U0EMMA',
  kai: 'U0KAI',
  guest: 'U0GUEST',
  deleted: 'U0GONE',
  bot: BOT_USER_ID,
} as const;

/** Workspace admin + owner (Engineering, Europe/Berlin). */
export const ADMIN_USER_ID = USER_IDS.anna;
/** Multi-channel guest (is_restricted). */
export const GUEST_USER_ID = USER_IDS.guest;
/** Deactivated account (deleted: true); still listed as a member of #coffee. */
export const DELETED_USER_ID = USER_IDS.deleted;
/** Active human with no Department field, empty display_name and empty title. */
export const NO_DEPARTMENT_USER_ID = USER_IDS.kai;

export interface FakeUserSpec {
  id: string;
  /** Slack handle (`name`). */
  name: string;
  realName: string;
  /** Slack allows an empty display name; defaults to ''. */
  displayName?: string;
  title?: string;
  email?: string;
  /** IANA time zone; defaults to America/Los_Angeles (Slack's default). */
  tz?: string;
  /** Seconds east of UTC; computed from `tz` for the current date when omitted. */
  tzOffset?: number;
  /** Value of the Department custom profile field (Xf0DEPT); null/undefined = not set. */
  department?: string | null;
  /** Other custom profile field values by field id. */
  fields?: Record<string, string>;
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
  isBot?: boolean;
  isAppUser?: boolean;
  /** For bot users: the B… id. */
  botId?: string;
  /** For bot users: the A… app id. */
  appId?: string;
  deleted?: boolean;
  locale?: string;
  teamId?: string;
}

export interface FakeChannelSpec {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  isGeneral?: boolean;
  members: string[];
  topic?: string;
  purpose?: string;
  creator?: string;
  /** Unix seconds. */
  created?: number;
}

export interface FakeProfileFieldSpec {
  id: string;
  label: string;
  hint?: string;
  type?: 'text' | 'long_text' | 'date' | 'link' | 'options_list' | 'user';
  possibleValues?: string[] | null;
  isHidden?: boolean;
  ordering?: number;
}

export interface FakeTeamSpec {
  id: string;
  name: string;
  domain: string;
  emailDomain?: string;
  enterpriseId?: string;
  enterpriseName?: string;
}

export interface FakeBotSpec {
  userId: string;
  botId: string;
  appId: string;
  /** Bot handle, e.g. 'weave'. */
  name: string;
}

export interface FakeWorkspace {
  team: FakeTeamSpec;
  bot: FakeBotSpec;
  users: FakeUserSpec[];
  channels: FakeChannelSpec[];
  profileFields: FakeProfileFieldSpec[];
}

const humans: FakeUserSpec[] = [
  {
    id: USER_IDS.anna,
    name: 'anna.schmidt',
    realName: 'Anna Schmidt',
    displayName: 'anna',
    title: 'Engineering Manager',
    tz: 'Europe/Berlin',
    department: 'Engineering',
    fields: { [OFFICE_FIELD_ID]: 'Berlin' },
    isAdmin: true,
    isOwner: true,
    isPrimaryOwner: true,
  },
  {
    id: USER_IDS.ben,
    name: 'ben.carter',
    realName: 'Ben Carter',
    displayName: 'ben',
    title: 'Senior Software Engineer',
    tz: 'America/New_York',
    department: 'Engineering',
  },
  {
    id: USER_IDS.priya,
    name: 'priya.raman',
    realName: 'Priya Raman',
    displayName: 'priya',
    title: 'Backend Engineer',
    tz: 'Asia/Kolkata',
    department: 'Engineering',
    fields: { [OFFICE_FIELD_ID]: 'Bengaluru' },
  },
  {
    id: USER_IDS.liam,
    name: 'liam.oconnor',
    realName: "Liam O'Connor",
    displayName: 'liam',
    title: 'Site Reliability Engineer',
    tz: 'Pacific/Auckland',
    department: 'Engineering',
  },
  {
    id: USER_IDS.sofia,
    name: 'sofia.alvarez',
    realName: 'Sofía Álvarez',
    displayName: 'sofia',
    title: 'Account Executive',
    tz: 'America/Los_Angeles',
    department: 'Sales',
  },
  {
    id: USER_IDS.marcus,
    name: 'marcus.weber',
    realName: 'Marcus Weber',
    displayName: 'marcus',
    title: 'Sales Director',
    tz: 'Europe/Berlin',
    department: 'Sales',
  },
  {
    id: USER_IDS.hannah,
    name: 'hannah.lee',
    realName: 'Hannah Lee',
    displayName: 'hannah',
    title: 'Sales Development Rep',
    tz: 'America/New_York',
    department: 'Sales',
  },
  {
    id: USER_IDS.arjun,
    name: 'arjun.mehta',
    realName: 'Arjun Mehta',
    displayName: 'arjun',
    title: 'Product Designer',
    tz: 'Asia/Kolkata',
    department: 'Design',
  },
  {
    id: USER_IDS.maia,
    name: 'maia.ngata',
    realName: 'Maia Ngata',
    displayName: 'maia',
    title: 'UX Researcher',
    tz: 'Pacific/Auckland',
    department: 'Design',
  },
  {
    id: USER_IDS.noah,
    name: 'noah.fischer',
    realName: 'Noah Fischer',
    displayName: 'noah',
    title: 'Financial Analyst',
    tz: 'Europe/Berlin',
    department: 'Finance',
  },
  {
    id: USER_IDS.emma,
    name: 'emma.johnson',
    realName: 'Emma Johnson',
    displayName: 'emma',
    title: 'Controller',
    tz: 'America/Los_Angeles',
    department: 'Finance',
  },
  {
    id: USER_IDS.kai,
    name: 'kai.tanaka',
    realName: 'Kai Tanaka',
    displayName: '',
    title: '',
    tz: 'America/New_York',
    department: null,
  },
];

const others: FakeUserSpec[] = [
  {
    id: USER_IDS.guest,
    name: 'gina.contractor',
    realName: 'Gina Contractor',
    displayName: 'gina (guest)',
    title: 'Freelance Illustrator',
    tz: 'Europe/Berlin',
    department: 'Design',
    isRestricted: true,
  },
  {
    id: USER_IDS.deleted,
    name: 'olivia.former',
    realName: 'Olivia Former',
    displayName: 'olivia',
    title: 'Account Manager',
    tz: 'America/New_York',
    department: 'Sales',
    deleted: true,
  },
  {
    id: BOT_USER_ID,
    name: 'weave',
    realName: 'Weave',
    displayName: '',
    isBot: true,
    botId: BOT_ID,
    appId: APP_ID,
  },
];

const SLACKBOT: FakeUserSpec = {
  id: 'USLACKBOT',
  name: 'slackbot',
  realName: 'Slackbot',
  displayName: 'Slackbot',
  // Slack really reports Slackbot as is_bot: false.
  isBot: false,
};

/** Members of #coffee: 10 of the 12 active humans (not Priya, not Emma), the guest, the deleted user, the bot. */
const coffeeMembers = [
  USER_IDS.anna,
  USER_IDS.ben,
  USER_IDS.liam,
  USER_IDS.sofia,
  USER_IDS.marcus,
  USER_IDS.hannah,
  USER_IDS.arjun,
  USER_IDS.maia,
  USER_IDS.noah,
  USER_IDS.kai,
  USER_IDS.guest,
  USER_IDS.deleted,
  BOT_USER_ID,
];

export interface DefaultWorkspaceOptions {
  /** Add USLACKBOT to the user directory (real users.list includes it, with is_bot: false). */
  includeSlackbot?: boolean;
}

/** A fresh deep copy of the default fixture workspace (safe to mutate). */
export function createDefaultWorkspace(opts: DefaultWorkspaceOptions = {}): FakeWorkspace {
  const users = [...humans, ...others, ...(opts.includeSlackbot ? [SLACKBOT] : [])];
  return structuredClone({
    team: { id: TEAM_ID, name: TEAM_NAME, domain: TEAM_DOMAIN, emailDomain: 'acme.example' },
    bot: { userId: BOT_USER_ID, botId: BOT_ID, appId: APP_ID, name: 'weave' },
    users,
    channels: [
      {
        id: PAIRS_CHANNEL_ID,
        name: 'coffee',
        members: coffeeMembers,
        topic: 'Random coffee pairings',
        purpose: 'Meet someone new every week',
        creator: ADMIN_USER_ID,
      },
      {
        id: GENERAL_CHANNEL_ID,
        name: 'general',
        isGeneral: true,
        members: humans.map((u) => u.id),
        purpose: 'Company-wide announcements',
        creator: ADMIN_USER_ID,
      },
    ],
    profileFields: [
      {
        id: DEPARTMENT_FIELD_ID,
        label: 'Department',
        hint: 'Your team or department',
        type: 'text',
        ordering: 0,
      },
      { id: OFFICE_FIELD_ID, label: 'Office', hint: 'Where you usually work', type: 'text', ordering: 1 },
      { id: 'Xf0START', label: 'Start date', hint: '', type: 'date', ordering: 2 },
    ],
  } satisfies FakeWorkspace);
}

const GENERATED_TZS = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'America/Los_Angeles',
  'Pacific/Auckland',
];

export interface GenerateUsersOptions {
  /** Id prefix; ids are `${prefix}${index padded to 5}` (default 'U1GEN'). */
  idPrefix?: string;
  /** First index (default 1). */
  startIndex?: number;
  /** Departments assigned round-robin; `null` entries mean "no department". Default: the four DEPARTMENTS. */
  departments?: readonly (string | null)[];
  /** Time zones assigned round-robin (offset from departments so they don't correlate). */
  timeZones?: readonly string[];
}

/** Deterministic bulk users for bigger workspaces (e.g. 500 users): `fake.addUser(...generateUsers(500))`. */
export function generateUsers(count: number, opts: GenerateUsersOptions = {}): FakeUserSpec[] {
  const prefix = opts.idPrefix ?? 'U1GEN';
  const start = opts.startIndex ?? 1;
  const departments = opts.departments ?? DEPARTMENTS;
  const tzs = opts.timeZones ?? GENERATED_TZS;
  const out: FakeUserSpec[] = [];
  for (let i = 0; i < count; i++) {
    const n = start + i;
    const num = String(n).padStart(5, '0');
    const department = departments.length > 0 ? (departments[i % departments.length] ?? null) : null;
    out.push({
      id: `${prefix}${num}`,
      name: `user${num}`,
      realName: `User ${num}`,
      displayName: `user${num}`,
      title: department ? `${department} Specialist` : '',
      tz: tzs[(i * 3 + 1) % tzs.length] ?? 'Europe/Berlin',
      department,
    });
  }
  return out;
}
