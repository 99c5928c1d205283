// The install snippets shown to copy: the SDK's own stub and script tag, and the npm client, with this site's key.
import { STUB } from '../../../../sdk/src/stub.ts';

/** What sdk/README.md tells to paste into every page, filled in with the server's address and the write key. */
export function scriptSnippet(scriptUrl: string, writeKey: string): string {
  return `<script>\n  ${STUB}\n</script>\n<script async src="${scriptUrl}" data-key="${writeKey}"></script>`;
}

export function npmSnippet(host: string, writeKey: string): string {
  return [
    'npm i @fideliza/sdk',
    '',
    "import { createClient } from '@fideliza/sdk';",
    '',
    `export const fideliza = createClient({ writeKey: '${writeKey}', host: '${host}' });`,
  ].join('\n');
}
