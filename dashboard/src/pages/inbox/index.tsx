// The inbox: chats, feedback and complaints in a list beside the open conversation (`/inbox/<id>`), kept live
// by one event stream for the whole page. Filters live in the query, so a link or a reload shows the same view.
import './inbox.css';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { type PageProps, useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { useLoad } from '../../ui/load.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { ConversationView } from './conversation.tsx';
import { ConversationList } from './list.tsx';
import { messages } from './messages.ts';
import { type InboxStream, openInboxStream } from './stream.ts';
import type { Assignee } from './types.ts';

function LiveState({ stream }: { stream: InboxStream }) {
  const t = useMessages(messages);
  const state = stream.state.value;
  return (
    <span class={`live-state live-${state}`} role="status">
      {state === 'live' ? t.live : state === 'connecting' ? t.connecting : t.reconnecting}
    </span>
  );
}

export default function InboxPage({ path, query }: PageProps) {
  const t = useMessages(messages);
  const { api, site } = useDashboard();
  const siteId = site.value.siteId;
  // The shell keys pages by site, so one stream serves this page for its whole life.
  const [stream] = useState(() => {
    const url = api.api.conversations.events.$url();
    // EventSource cannot send headers: the site goes in the query (the session cookie goes by itself).
    url.searchParams.set('site', siteId);
    return openInboxStream(url.href);
  });
  useEffect(() => () => stream.close(), [stream]);
  // Everyone a conversation can be given to: the assign menu, the assignee filter, the names on replies.
  const team = useLoad(() => call(api.api.conversations.assignees.$get()), []);
  const assignees: Assignee[] = team.data?.assignees ?? [];
  const openId = path[0];
  const search = query.toString();
  const listHref = `/inbox${search ? `?${search}` : ''}`;

  return (
    <div class="inbox">
      <PageHeader title={t.title}>
        <LiveState stream={stream} />
      </PageHeader>
      <div class={`inbox-panes${openId ? ' has-open' : ''}`}>
        <ConversationList stream={stream} openId={openId} query={query} team={assignees} />
        {openId ? (
          <ConversationView key={openId} id={openId} stream={stream} team={assignees} listHref={listHref} />
        ) : (
          <p class="inbox-pick notice">{t.pickOne}</p>
        )}
      </div>
    </div>
  );
}
