// Reading basket files as arules' read.transactions(format = "basket", sep = ",") does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BasketFileError, parseBasketLine, readBasketFile } from './basket-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'fideliza-baskets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseBasketLine', () => {
  it('trims items, drops empty ones and keeps each item once, in order of first appearance', () => {
    expect(parseBasketLine(' whole milk ,yogurt,, whole milk,\trolls/buns ')).toEqual([
      'whole milk',
      'yogurt',
      'rolls/buns',
    ]);
    expect(parseBasketLine('')).toEqual([]);
    expect(parseBasketLine(' , ,')).toEqual([]);
  });

  it('reads an item in double quotes as one item, commas and doubled quotes included', () => {
    expect(parseBasketLine('"nuts, salted", "the ""best"" tea" ,beer')).toEqual([
      'nuts, salted',
      'the "best" tea',
      'beer',
    ]);
    expect(parseBasketLine('"unterminated, still one item')).toEqual(['unterminated, still one item']);
  });
});

describe('readBasketFile', () => {
  it('reads one basket per line, blank lines as empty baskets, CRLF or LF, with no basket after the last newline', async () => {
    const path = join(dir, 'shop.csv');
    writeFileSync(path, 'milk,bread\r\n\r\n  \nbeer\n');
    expect(await readBasketFile(path)).toEqual([['milk', 'bread'], [], [], ['beer']]);
  });

  it('says which file is missing or is a directory', async () => {
    await expect(readBasketFile(join(dir, 'nope.csv'))).rejects.toThrow(
      new BasketFileError(`${join(dir, 'nope.csv')}: no such file`),
    );
    await expect(readBasketFile(dir)).rejects.toThrow(new BasketFileError(`${dir} is a directory, not a file`));
  });
});
