// Progress of long runs on stderr, so stdout carries only the results: one rewritten line on a terminal, a plain
// line now and then otherwise, and nothing at all for runs shorter than the interval.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  report(text: string): void;
  /** Ends the rewritten line, if one was written. */
  done(): void;
}

export function progressOn(stream: ProgressStream, intervalMs = stream.isTTY ? 1000 : 5000): Progress {
  let last = Date.now();
  let shown = false;
  return {
    report(text) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      shown = true;
      stream.write(stream.isTTY ? `\r\u001b[2K${text}` : `${text}\n`);
    },
    done() {
      if (shown && stream.isTTY) stream.write('\n');
      shown = false;
    },
  };
}
