// Reads market baskets from text: one basket per line, items separated by commas.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** The input file cannot be read (missing, a directory, not allowed). */
export class BasketFileError extends Error {}

/**
 * The distinct items of one line, in order of first appearance. Items are trimmed and empty ones dropped (as arules'
 * `read.transactions(format = "basket", sep = ",")` does); an item may be wrapped in double quotes to hold a comma,
 * with `""` standing for a quote inside it.
 */
export function parseBasketLine(line: string): string[] {
  const items = new Set<string>();
  let start = 0;
  while (start <= line.length) {
    let field = '';
    let at = start;
    while (at < line.length && /\s/.test(line[at] as string)) at++;
    if (line[at] === '"') {
      at++;
      for (;;) {
        const quote = line.indexOf('"', at);
        if (quote === -1) {
          field += line.slice(at);
          at = line.length;
          break;
        }
        field += line.slice(at, quote);
        at = quote + 1;
        if (line[at] !== '"') break;
        field += '"';
        at++;
      }
    }
    const comma = line.indexOf(',', at);
    const end = comma === -1 ? line.length : comma;
    field = (field + line.slice(at, end)).trim();
    if (field !== '') items.add(field);
    start = end + 1;
  }
  return [...items];
}

/**
 * Every line of the file as a basket, blank lines included as empty baskets: arules counts them in N, so support
 * values agree with it on the same file. `onProgress` hears the number of lines read now and then.
 */
export async function readBasketFile(path: string, onProgress?: (lines: number) => void): Promise<string[][]> {
  const baskets: string[][] = [];
  try {
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      baskets.push(parseBasketLine(line));
      if (onProgress && baskets.length % 8192 === 0) onProgress(baskets.length);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BasketFileError(`${path}: no such file`);
    if (code === 'EISDIR') throw new BasketFileError(`${path} is a directory, not a file`);
    if (code === 'EACCES' || code === 'EPERM') throw new BasketFileError(`${path}: permission denied`);
    throw error;
  }
  return baskets;
}
