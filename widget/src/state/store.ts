// All the widget's state for one mount: which tab is open, and each feature's drafts and results, which
// therefore survive switching tabs and closing the panel.
import { signal } from '@preact/signals';
import type { Api } from '../api/client.ts';
import { createChat } from '../features/chat/chat-state.ts';
import { createComplaint, createStatus } from '../features/complaints/complaint-state.ts';
import { createFeedback } from '../features/feedback/feedback-state.ts';
import { createSurvey } from '../features/surveys/survey-state.ts';

export const TABS = ['chat', 'feedback', 'complaint', 'status'] as const;
export type Tab = (typeof TABS)[number];

/** `flush` sends the SDK's waiting events, so the server knows them before it picks a survey. */
export function createStore(api: Api, writeKey: string, flush: () => Promise<unknown>) {
  return {
    open: signal(false),
    tab: signal<Tab>('chat'),
    chat: createChat(api, `fideliza:${writeKey}:chat`),
    feedback: createFeedback(api),
    complaint: createComplaint(api),
    status: createStatus(api),
    survey: createSurvey(api, flush),
  };
}

export type Store = ReturnType<typeof createStore>;
