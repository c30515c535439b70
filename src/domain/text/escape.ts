// Safe echoing of user text in Slack mrkdwn: `&`, `<`, `>` escaped once, and mass mentions (`<!here>`,
// `<!channel>`, `<!everyone>`, user groups, bare `@here` words) rendered as plain, non-notifying text.

/** Zero-width space: placed after `@` so Slack shows `@here` but never treats it as a mention. */
export const ZERO_WIDTH_SPACE = '\u200B';

// ASCII word boundaries, as Slack's own parser uses: `章@here章` is neutralised, `ops@here.com` is not.
const MASS_WORD = /(^|[^A-Za-z0-9_])@(channel|here|everyone)(?![A-Za-z0-9_-])/gi;
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt);)/g;
const CONTROL = /<([^<>]*)>/g;
const USER = /^@([UW][A-Z0-9]+)(?:\|[^|]*)?$/;
const CHANNEL = /^#(C[A-Z0-9]+)(?:\|[^|]*)?$/;
const LINK = /^((?:https?|mailto):[^|\s]+)(?:\|(.*))?$/is;

/** `@` + zero-width space + name: reads as a mention, never notifies. */
function inertAt(name: string): string {
  return `@${ZERO_WIDTH_SPACE}${name}`;
}

/** Neutralises bare `@channel`/`@here`/`@everyone` words in text that is otherwise already escaped. */
function neutralizeWords(text: string): string {
  return text.replace(MASS_WORD, (_m, before: string, word: string) => `${before}${inertAt(word)}`);
}

/** Escapes `&`, `<` and `>` in text with no Slack formatting in it. */
function escapeAll(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes `<`, `>` and bare `&` (keeping `&amp;`, `&lt;`, `&gt;`), then neutralises mass-mention words. */
function escapeLoose(text: string): string {
  return neutralizeWords(text.replace(BARE_AMPERSAND, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** Plain-text rendering of a special `<!…>` control sequence (never notifies). */
function renderSpecial(body: string): string {
  const bar = body.indexOf('|');
  const head = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? '' : body.slice(bar + 1).trim();
  const name = head.split('^')[0]?.toLowerCase() ?? '';
  if (name === 'date' && label !== '') return escapeLoose(label);
  const shown = label.replace(/^@+/, '') || (name === 'subteam' ? 'group' : name) || 'mention';
  return escapeLoose(inertAt(shown));
}

/**
 * Makes Slack-formatted user text (as Slack sends it: already escaped, may hold `<@U…>`, `<#C…>`, links)
 * safe to echo in mrkdwn: keeps user and channel mentions and links, neutralises `<!here>`, `<!channel>`,
 * `<!everyone>`, `<!subteam^…>` and bare `@here`-style words, escapes any stray `&`, `<`, `>`.
 * Idempotent: applying it twice gives the same text, so nothing is ever escaped twice.
 */
export function escapeText(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(CONTROL)) {
    const body = m[1] ?? '';
    out += escapeLoose(text.slice(last, m.index));
    last = m.index + m[0].length;
    const user = USER.exec(body);
    const channel = CHANNEL.exec(body);
    const link = LINK.exec(body);
    if (user) out += `<@${user[1]}>`;
    else if (channel) out += `<#${channel[1]}>`;
    else if (body.startsWith('!')) out += renderSpecial(body.slice(1));
    else if (link) {
      const url = (link[1] ?? '').replace(BARE_AMPERSAND, '&amp;');
      const label = link[2] === undefined ? '' : escapeLoose(link[2]).replace(/\|/g, '¦');
      out += label === '' ? `<${url}>` : `<${url}|${label}>`;
    } else out += `&lt;${escapeLoose(body)}&gt;`;
  }
  return out + escapeLoose(text.slice(last));
}

/**
 * Escapes raw text where every character must show exactly as typed (e.g. a literal `&amp;` in a modal
 * input): every `&`, `<`, `>` is escaped and bare `@here`-style words are neutralised. Not idempotent;
 * prefer `escapeText` for anything that came through Slack's formatted text.
 */
export function escapeRawText(raw: string): string {
  return neutralizeWords(escapeAll(raw));
}
