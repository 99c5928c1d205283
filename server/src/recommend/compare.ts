// One total order for item text, the same on every machine (unlike localeCompare).

export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
