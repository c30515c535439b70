// Safe user text for Slack: escaping, mass-mention neutralising and length limits.
export { escapeRawText, escapeText, ZERO_WIDTH_SPACE } from './escape.ts';
export { ELLIPSIS, graphemeLength, truncate } from './truncate.ts';
