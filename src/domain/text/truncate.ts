// Length-limiting text for Slack's Block Kit limits without splitting characters, emoji sequences,
// Slack entities (`&amp;`) or control sequences (`<@U123>`, `<https://…|label>`). Lengths are UTF-16 code
// units, as Slack counts them.

/** The ellipsis appended to truncated text. */
export const ELLIPSIS = '…';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Code units segmented at a time: V8's segmenter slows down quadratically on long strings. */
const WINDOW = 512;

/**
 * Grapheme clusters of `text` with their offsets, segmenting a window at a time. Restarting at a cluster
 * boundary gives the same clusters as segmenting the whole string, so the last (possibly cut) cluster of
 * each window is re-read at the start of the next one.
 */
function* graphemeSegments(text: string): Generator<{ segment: string; index: number }> {
  let pos = 0;
  let size = WINDOW;
  while (pos < text.length) {
    const end = Math.min(text.length, pos + size);
    const window = [...segmenter.segment(text.slice(pos, end))];
    const complete = end === text.length ? window.length : window.length - 1;
    if (complete === 0) {
      size *= 2; // one cluster longer than the window (e.g. stacked combining marks)
      continue;
    }
    for (let i = 0; i < complete; i++) {
      const s = window[i];
      if (s !== undefined) yield { segment: s.segment, index: pos + s.index };
    }
    const next = window[complete];
    pos = next === undefined ? end : pos + next.index;
    size = WINDOW;
  }
}
/** Spans kept whole: Slack's three entities and control sequences (bounded, so plain text stays linear). */
const ATOM = /&(?:amp|lt|gt);|<[^<>\n]{1,1000}>/g;

/** Number of user-perceived characters (grapheme clusters) in `text`, e.g. 1 for a family emoji. */
export function graphemeLength(text: string): number {
  // ASCII fast path: every character is its own cluster except CR LF.
  if (!/[^\p{ASCII}]/u.test(text)) return text.length - (text.match(/\r\n/g)?.length ?? 0);
  let n = 0;
  for (const _ of graphemeSegments(text)) n++;
  return n;
}

/** Longest grapheme-aligned prefix of `text` with at most `budget` UTF-16 code units. */
function prefixWithin(text: string, budget: number): string {
  let end = 0;
  for (const { segment, index } of graphemeSegments(text)) {
    if (index + segment.length > budget) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/**
 * `text` cut to at most `max` UTF-16 code units including a trailing '…' (returned unchanged when it fits).
 * Never splits a surrogate pair, a grapheme cluster (emoji ZWJ sequences, accents), an entity such as
 * `&amp;` or a control sequence such as `<@U123>`: those are kept whole or dropped.
 */
export function truncate(text: string, max: number, ellipsis: string = ELLIPSIS): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max <= ellipsis.length) return prefixWithin(ellipsis, max);
  const budget = max - ellipsis.length;
  let out = '';
  let last = 0;
  /** Appends as much of `plain` as fits; false when it did not all fit. */
  const take = (plain: string): boolean => {
    const part = prefixWithin(plain, budget - out.length);
    out += part;
    return part.length === plain.length;
  };
  for (const m of text.matchAll(ATOM)) {
    if (!take(text.slice(last, m.index)) || out.length + m[0].length > budget) {
      return out.trimEnd() + ellipsis;
    }
    out += m[0];
    last = m.index + m[0].length;
  }
  take(text.slice(last));
  return out.trimEnd() + ellipsis;
}
