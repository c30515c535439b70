// Matching a `/intro find` topic against expertise tags: case- and accent-insensitive, with simple plural
// stemming and a few common synonyms. Pure.

/** Words that name the same topic; the key is replaced by the value before matching. */
const SYNONYMS: Readonly<Record<string, string>> = {
  k8s: 'kubernetes',
  js: 'javascript',
  ts: 'typescript',
  ml: 'machine learning',
  ai: 'artificial intelligence',
  ux: 'user experience',
  ui: 'user interface',
  pm: 'product management',
  hr: 'people',
  seo: 'search engine optimization',
  db: 'database',
  dbs: 'database',
  postgres: 'postgresql',
};

/** Short words that carry no topic. */
const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'for',
  'in',
  'on',
  'to',
  'with',
  '&',
]);

/** Lowercase, accents stripped (NFD without combining marks), punctuation turned into spaces. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#]+/gu, ' ')
    .trim();
}

/** A simple English plural stemmer: "companies" → "company", "boxes" → "box", "APIs" → "api". */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  // "analysis", "status", "business" are singular; short "-is" words are plural acronyms ("apis", "kpis").
  const singular = word.endsWith('ss') || word.endsWith('us') || (word.endsWith('is') && word.length > 4);
  if (word.endsWith('s') && !singular) return word.slice(0, -1);
  return word;
}

/** The stemmed words of a topic or tag, synonyms expanded and stop words dropped. */
export function topicTerms(text: string): string[] {
  const words = foldText(text)
    .split(' ')
    .filter((w) => w !== '');
  const expanded = words.flatMap((w) => (Object.hasOwn(SYNONYMS, w) ? (SYNONYMS[w] ?? w).split(' ') : [w]));
  return expanded.filter((w) => !STOP_WORDS.has(w)).map(stem);
}

/**
 * How well `tag` matches `topic`: 3 when they are the same terms, 2 when every topic term is in the tag
 * ("kubernetes" ~ "Kubernetes & Helm"), 1 when every tag term is in the topic ("pricing" ~ "pricing
 * strategy"), 0 otherwise.
 */
export function tagMatch(topic: string, tag: string): number {
  const t = topicTerms(topic);
  const g = topicTerms(tag);
  if (t.length === 0 || g.length === 0) return 0;
  const tagSet = new Set(g);
  const topicSet = new Set(t);
  const topicInTag = t.every((w) => tagSet.has(w));
  const tagInTopic = g.every((w) => topicSet.has(w));
  if (topicInTag && tagInTopic) return 3;
  if (topicInTag) return 2;
  if (tagInTopic) return 1;
  return 0;
}

/** The best match of `topic` among a person's tags, with the tag that matched. */
export function bestTagMatch(topic: string, tags: readonly string[]): { score: number; tag: string | null } {
  let best = { score: 0, tag: null as string | null };
  for (const tag of tags) {
    const score = tagMatch(topic, tag);
    if (score > best.score) best = { score, tag };
  }
  return best;
}

/** Splits what someone typed as a list ("pricing, Kubernetes; sql") into trimmed, de-duplicated tags. */
export function splitTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,;\n]+/)) {
    const tag = raw.replace(/\s+/g, ' ').trim();
    const key = foldText(tag);
    if (tag === '' || key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}
