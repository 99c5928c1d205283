// Heatmap clicks: a short stable CSS selector of the clicked element, where on the page and on the element it was
// hit, the viewport and document size, the link target and a little visible text; rage clicks flagged.

/** Clicks land on the nearest of these around the target (an icon inside a button counts for the button). */
const INTERACTIVE = 'a,button,input,select,textarea,label,[role=button]';
/** No text is read from (or from inside or around) these. */
const MASKED = 'input,select,textarea,[contenteditable],[data-fideliza-mask]';
/** `name=value` of data attributes that conventionally name an element (…id, test, cy, sku), with a plain value. */
const STABLE_DATA = /^data-([\w-]*id|test|cy|sku)=[\w-]{1,40}$/;
const STABLE_ID = /^[a-z][\w-]*$/i;

/**
 * The shortest selector, walking up from the element, that matches only it: `#id` when the id looks stable,
 * `tag[data-…="…"]` for a stable data attribute, else `tag:nth-of-type(n)` (n only among same-tag siblings).
 */
export function selector(el: Element): string {
  let path = '';
  for (let e = el; e.localName !== 'body'; e = e.parentNode as Element) {
    let part = e.localName;
    const data = [...e.attributes].find((a) => STABLE_DATA.test(`${a.name}=${a.value}`));
    const same = [...(e.parentNode as ParentNode).children].filter((c) => c.localName === part);
    if (STABLE_ID.test(e.id)) part = `#${e.id}`;
    else if (data) part += `[${data.name}="${data.value}"]`;
    else if (same[1]) part += `:nth-of-type(${same.indexOf(e) + 1})`;
    path = path ? `${part}>${path}` : part;
    if (!document.querySelectorAll(path)[1]) break;
  }
  return path;
}

const round = (n: number) => +n.toFixed(3);

/** A click listener (for the capture phase, so none is missed) that emits `$click` with its properties. */
export function clickListener(
  emit: (event: '$click', properties: Record<string, unknown>) => void,
): (e: MouseEvent) => void {
  // The current run of clicks: when it started, how many, where the last one was.
  let start = 0;
  let count = 0;
  let lastX = 0;
  let lastY = 0;
  return (e) => {
    const el = (e.target as Element).closest(INTERACTIVE) || (e.target as HTMLElement);
    const now = Date.now();
    const { pageX: x, pageY: y } = e;
    const box = el.getBoundingClientRect();
    const root = document.documentElement;
    // Rage: the third click or more, each within 30 px of the one before, all within one second.
    if (now - start < 1e3 && Math.hypot(x - lastX, y - lastY) <= 30) count++;
    else {
      start = now;
      count = 1;
    }
    lastX = x;
    lastY = y;
    emit('$click', {
      selector: selector(el),
      x,
      y,
      rx: round((e.clientX - box.left) / box.width),
      ry: round((e.clientY - box.top) / box.height),
      vw: innerWidth,
      vh: innerHeight,
      dw: root.scrollWidth,
      dh: root.scrollHeight,
      href: (el as HTMLAnchorElement).href,
      text:
        el.closest(MASKED) || el.querySelector(MASKED)
          ? undefined
          : // biome-ignore lint/performance/useDomNodeTextContent: the text as shown (whitespace collapsed, hidden parts left out).
            (el as HTMLElement).innerText?.trim().slice(0, 64) || undefined,
      rage: count > 2 || undefined,
    });
  };
}
