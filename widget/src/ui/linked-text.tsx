// Message text as text nodes, with http(s) URLs turned into links: never HTML, never another scheme.
/** Candidates only start with http:// or https://, so `javascript:` and `data:` can never become a link. */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;

export type Part = string | { href: string; text: string };

/** Splits text into plain strings and links; punctuation that ends a sentence stays outside the link. */
export function linkParts(text: string): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(/[.,;:!?)\]}]+$/, '');
    let href: string | undefined;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') href = parsed.href;
    } catch {
      // Not a URL after all: it stays text.
    }
    if (!href) continue;
    if (match.index > at) parts.push(text.slice(at, match.index));
    parts.push({ href, text: url });
    at = match.index + url.length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkParts(text).map((part) =>
        typeof part === 'string' ? (
          part
        ) : (
          <a href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {part.text}
          </a>
        ),
      )}
    </>
  );
}
