// The widget's frame: the launcher, the panel (a non-modal dialog) with its tabs and the open feature's view, and
// the survey card, shown in the panel's place while the panel is closed.
import type { Signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { SiteLook } from '../api/client.ts';
import { ChatView } from '../features/chat/chat-view.tsx';
import { ComplaintView } from '../features/complaints/complaint-view.tsx';
import { StatusView } from '../features/complaints/status-view.tsx';
import { FeedbackView } from '../features/feedback/feedback-view.tsx';
import { SurveyCard } from '../features/surveys/survey-view.tsx';
import type { Locale, Messages } from '../i18n/index.ts';
import { type Store, TABS, type Tab } from '../state/store.ts';
import { brandColor, textOn } from './brand.ts';
import { Cross } from './cross.tsx';

interface ShellProps {
  store: Store;
  t: Messages;
  locale: Locale;
  /** undefined while the site's config is on its way; null when it could not be read (the defaults apply). */
  look: Signal<SiteLook | null | undefined>;
}

export function Shell({ store, t, locale, look: lookSignal }: ShellProps) {
  const look = lookSignal.value;
  const launcher = useRef<HTMLButtonElement>(null);
  const tabs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const open = store.open.value;
  const tab = store.tab.value;

  // Opening moves focus into the panel, onto the selected tab (the start of the panel's Tab order after the heading).
  useEffect(() => {
    if (open) tabs.current[store.tab.peek()]?.focus();
  }, [open, store]);

  const close = () => {
    store.open.value = false;
    launcher.current?.focus();
  };
  // Escape closes the panel from anywhere inside the widget and gives focus back to the launcher.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !store.open.value) return;
    event.stopPropagation();
    close();
  };
  // Tabs follow the ARIA tabs pattern: one Tab stop, arrows (and Home/End) move and select.
  const onTabKey = (event: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const to = TABS[(next + TABS.length) % TABS.length] as Tab;
    store.tab.value = to;
    tabs.current[to]?.focus();
  };
  const labels: Record<Tab, string> = {
    chat: t.tabChat,
    feedback: t.tabFeedback,
    complaint: t.tabComplaint,
    status: t.tabStatus,
  };
  const checkTicket = (ticket: string) => {
    store.status.ticket.value = ticket;
    store.tab.value = 'status';
    tabs.current.status?.focus();
    void store.status.lookup();
  };
  const survey = store.survey.current.value;
  const closeSurvey = () => {
    store.survey.close();
    launcher.current?.focus();
  };
  const brand = brandColor(look?.color);
  // No launcher until the brand colour is known, so it never flashes in the default colour.
  if (look === undefined) return null;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: it only catches Escape bubbling up from the controls inside; the div itself is no control.
    <div
      class={`root ${look?.position === 'left' ? 'left' : 'right'}`}
      style={`--fz-brand:${brand};--fz-on-brand:${textOn(brand)}`}
      onKeyDown={onKeyDown}
    >
      {/* tabIndex -1: a click on the panel's text keeps focus inside the widget, so Escape still reaches it. */}
      <section
        class="panel"
        id="fz-panel"
        role="dialog"
        aria-labelledby="fz-panel-heading"
        tabIndex={-1}
        hidden={!open}
      >
        <div class="head">
          <h2 id="fz-panel-heading">{t.panelHeading}</h2>
          <button type="button" class="close" aria-label={t.close} onClick={close}>
            <Cross size={16} />
          </button>
        </div>
        <div class="tabs" role="tablist" aria-label={t.sections}>
          {TABS.map((name) => (
            <button
              key={name}
              ref={(el) => {
                tabs.current[name] = el;
              }}
              type="button"
              role="tab"
              id={`fz-tab-${name}`}
              aria-selected={tab === name}
              aria-controls="fz-view"
              tabIndex={tab === name ? 0 : -1}
              onClick={() => {
                store.tab.value = name;
              }}
              onKeyDown={onTabKey}
            >
              {labels[name]}
            </button>
          ))}
        </div>
        <div class="view" role="tabpanel" id="fz-view" aria-labelledby={`fz-tab-${tab}`}>
          {/* Views render only while open: the chat asks for a session the first time the panel opens, not on every page. */}
          {!open ? null : tab === 'chat' ? (
            <ChatView chat={store.chat} t={t} />
          ) : tab === 'feedback' ? (
            <FeedbackView feedback={store.feedback} t={t} />
          ) : tab === 'complaint' ? (
            <ComplaintView complaint={store.complaint} t={t} onCheck={checkTicket} />
          ) : (
            <StatusView status={store.status} t={t} locale={locale} />
          )}
        </div>
      </section>
      {survey && !open ? <SurveyCard survey={store.survey} t={t} locale={locale} onClose={closeSurvey} /> : null}
      {/* Always in the page, so screen readers hear of a survey that appears without taking the focus. */}
      <p class="sr" role="status">
        {survey && !open ? t.surveyOpened : ''}
      </p>
      <button
        ref={launcher}
        type="button"
        class="launcher"
        aria-label={t.launcher}
        aria-controls="fz-panel"
        aria-expanded={open}
        onClick={() => {
          store.open.value = !open;
        }}
      >
        {open ? (
          <Cross size={28} />
        ) : (
          <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 3h12a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4V5a2 2 0 0 1 2-2z" fill="currentColor" />
          </svg>
        )}
      </button>
    </div>
  );
}
