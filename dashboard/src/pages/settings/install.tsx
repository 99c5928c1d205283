// The install snippets with this site's write key and this server's address, ready to copy.
import { useMessages } from '../../i18n/index.ts';
import { messages } from './messages.ts';
import { Copyable, Section } from './parts.tsx';
import { npmSnippet, scriptSnippet } from './snippet.ts';
import type { SiteView } from './types.ts';

export function Install({ site }: { site: SiteView }) {
  const t = useMessages(messages);
  return (
    <Section id="settings-install" title={t.install}>
      <h4>{t.scriptTag}</h4>
      <p>{t.installIntro}</p>
      <Copyable multiline value={scriptSnippet(site.install.scriptUrl, site.writeKey)} label={t.scriptTag} />
      <h4>{t.npm}</h4>
      <p>{t.npmIntro}</p>
      <Copyable multiline value={npmSnippet(site.install.host, site.writeKey)} label={t.npm} />
    </Section>
  );
}
