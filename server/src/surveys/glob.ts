// URL path patterns of survey targeting: `*` within one segment, `**` across segments, `?` one character.

/** A pattern as tokens: a literal character, or one of the three wildcards. */
type Token = string | { any: 'char' | 'segment' | 'path' };

const cache = new Map<string, Token[]>();

function tokensOf(pattern: string): Token[] {
  let tokens = cache.get(pattern);
  if (tokens) return tokens;
  tokens = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      tokens.push({ any: 'path' });
      while (pattern[i + 1] === '*') i++;
    } else if (ch === '*') tokens.push({ any: 'segment' });
    else if (ch === '?') tokens.push({ any: 'char' });
    else tokens.push(ch);
  }
  // Patterns come from a few surveys per site; the bound only guards against a pathological number of them.
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, tokens);
  return tokens;
}

/**
 * Whether the path matches the pattern. Matched by dynamic programming over (token, position), so the time is
 * at most pattern length × path length: a regular expression with several `.*` could backtrack for ages on a
 * long path a visitor sends, and the patterns are written by staff who should not have to think about that.
 */
export function matchesPath(pattern: string, path: string): boolean {
  const n = path.length;
  let reach = new Uint8Array(n + 1);
  reach[0] = 1;
  for (const t of tokensOf(pattern)) {
    const next = new Uint8Array(n + 1);
    if (typeof t === 'string') {
      for (let i = 0; i < n; i++) if (reach[i] && path[i] === t) next[i + 1] = 1;
    } else if (t.any === 'char') {
      for (let i = 0; i < n; i++) if (reach[i] && path[i] !== '/') next[i + 1] = 1;
    } else {
      // A star matches nothing, or extends a match by one more character (not `/` for a single star).
      next[0] = reach[0] as number;
      for (let i = 1; i <= n; i++) {
        next[i] = reach[i] || (next[i - 1] && (t.any === 'path' || path[i - 1] !== '/')) ? 1 : 0;
      }
    }
    reach = next;
  }
  return reach[n] === 1;
}

/** The path of a page URL or of a path (query and hash dropped); null when it is neither. */
export function pathOf(urlOrPath: string): string | null {
  try {
    return new URL(urlOrPath, 'http://path.invalid').pathname;
  } catch {
    return null;
  }
}

/** Whether a page passes `urls` (any, or none given) and `excludeUrls` (none). */
export function pageTargeted(path: string, urls: readonly string[], excludeUrls: readonly string[]): boolean {
  if (excludeUrls.some((p) => matchesPath(p, path))) return false;
  return urls.length === 0 || urls.some((p) => matchesPath(p, path));
}
