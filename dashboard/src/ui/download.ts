// Downloads that show progress: a response body read chunk by chunk (bytes and lines counted as they arrive),
// then handed to the browser as a file through a blob link.

export interface DownloadProgress {
  bytes: number;
  /** Line breaks so far: a CSV's rows plus its header (a quoted cell holding a line break counts once more). */
  lines: number;
}

const NEWLINE = 10;

/** Reads the whole body, calling `onProgress` after every chunk; the result keeps the response's content type. */
export async function readWithProgress(
  response: Response,
  onProgress: (progress: DownloadProgress) => void,
): Promise<Blob> {
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  const reader = response.body?.getReader();
  if (!reader) return new Blob([await response.arrayBuffer()], { type });
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const progress: DownloadProgress = { bytes: 0, lines: 0 };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value as Uint8Array<ArrayBuffer>);
    progress.bytes += value.byteLength;
    for (const byte of value) if (byte === NEWLINE) progress.lines++;
    onProgress({ ...progress });
  }
  return new Blob(chunks, { type });
}

/** The file name the server suggests (`content-disposition: attachment; filename="…"`), else `fallback`. */
export function suggestedName(response: Response, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return match?.[1] ?? fallback;
}

/** Hands the blob to the browser as a download named `name`. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Browsers read the blob after the click returns: revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
