// The widget's only door to the server: site look, the visitor token, JSON calls, photo uploads, surveys and the
// chat's event stream. Failures become an ApiError (status 0 when the server cannot be reached); nothing here touches the DOM.
import type { SurveyResponseInput, WidgetSurveys } from '../../../server/src/protocol/surveys.ts';
import type {
  Feedback,
  NewComplaint,
  StartChat,
  WidgetSession,
  WireComplaintStatus,
  WireConversation,
  WireMessage,
} from '../../../server/src/protocol/widget.ts';

export type {
  LocalizedText,
  SurveyAnswer,
  SurveyQuestion,
  WidgetSurvey,
} from '../../../server/src/protocol/surveys.ts';
export type { WidgetSession, WireComplaintStatus, WireMessage } from '../../../server/src/protocol/widget.ts';

/** What the widget takes from the site's public config. */
export interface SiteLook {
  color: string;
  position: 'left' | 'right';
}

/** Who the visitor is, as the SDK client's `getUser()` tells it. */
export interface Visitor {
  anonymousId: string;
  userId?: string;
  hmac?: string;
}

export interface StartedChat {
  conversation: WireConversation;
  messages: WireMessage[];
  online: boolean;
}

export interface StreamHandlers {
  message(m: WireMessage): void;
  /** true once connected, false while the stream is down (it keeps retrying until stopped). */
  live(up: boolean): void;
}

export interface Api {
  look(): Promise<SiteLook>;
  session(): Promise<WidgetSession>;
  startChat(input: StartChat): Promise<StartedChat>;
  send(conversationId: string, text: string): Promise<WireMessage>;
  /** Streams the conversation's messages from the start (the whole history first); returns how to stop. */
  listen(conversationId: string, on: StreamHandlers): () => void;
  feedback(input: Feedback): Promise<unknown>;
  complain(input: NewComplaint): Promise<{ conversationId: string; ticket: string }>;
  photo(conversationId: string, file: Blob): Promise<unknown>;
  status(ticket: string, email?: string): Promise<WireComplaintStatus>;
  /** The surveys the shop targets at this visitor on this page path. */
  surveys(path: string): Promise<WidgetSurveys>;
  /** Records that the visitor was shown the survey, or closed it without answering (the frequency cap counts both). */
  surveyEvent(id: string, kind: 'seen' | 'dismiss'): Promise<unknown>;
  answer(id: string, input: SurveyResponseInput): Promise<unknown>;
}

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(code);
  }
}

/** How long to wait before opening a stream again after the server ended it (EventSource gives up on errors). */
const RESTREAM_MS = 3000;

export function createApi(host: string, writeKey: string, visitor: () => Visitor): Api {
  let session: Promise<WidgetSession> | undefined;

  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(host + path, init);
    } catch {
      throw new ApiError(0, 'unreachable');
    }
    const data = (await res.json().catch(() => ({}))) as T & { error?: { code?: string; field?: string } };
    if (!res.ok) throw new ApiError(res.status, data.error?.code ?? 'failed', data.error?.field);
    return data;
  }

  function getSession(): Promise<WidgetSession> {
    if (!session) {
      const { anonymousId, userId, hmac } = visitor();
      // A user id counts only with the shop's HMAC; without it the visitor stays anonymous.
      const body = userId && hmac ? { writeKey, anonymousId, userId, userHash: hmac } : { writeKey, anonymousId };
      session = request<WidgetSession>('/v1/widget/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      // A failed session is not kept, so "try again" asks again.
      session.catch(() => {
        session = undefined;
      });
    }
    return session;
  }

  /** A call as the visitor; an expired or refused token is renewed once. */
  async function visitorCall<T>(path: string, body?: unknown, retried = false): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${(await getSession()).token}` };
    const init: RequestInit = { headers };
    if (body !== undefined) {
      init.method = 'POST';
      const blob = body instanceof Blob;
      headers['Content-Type'] = blob ? body.type : 'application/json';
      init.body = blob ? body : JSON.stringify(body);
    }
    try {
      return await request<T>(path, init);
    } catch (error) {
      if (retried || !(error instanceof ApiError) || error.status !== 401) throw error;
      session = undefined;
      return visitorCall(path, body, true);
    }
  }

  return {
    async look() {
      const config = await request<{ widget: SiteLook }>(`/v1/config?writeKey=${encodeURIComponent(writeKey)}`);
      return config.widget;
    },
    session: getSession,
    startChat: (input) => visitorCall('/v1/widget/conversations', input),
    send: (id, text) => visitorCall(`/v1/widget/conversations/${id}/messages`, { text }),
    feedback: (input) => visitorCall('/v1/widget/feedback', input),
    complain: (input) => visitorCall('/v1/widget/complaints', input),
    photo: (id, file) => visitorCall(`/v1/widget/complaints/${id}/photos`, file),
    status: (ticket, email) =>
      visitorCall(`/v1/widget/complaints/status?${new URLSearchParams(email ? { ticket, email } : { ticket })}`),
    surveys: (path) => visitorCall(`/v1/widget/surveys?url=${encodeURIComponent(path)}`),
    surveyEvent: (id, kind) => visitorCall(`/v1/widget/surveys/${id}/${kind}`, {}),
    answer: (id, input) => visitorCall(`/v1/widget/surveys/${id}/responses`, input),
    listen(id, on) {
      let source: EventSource | undefined;
      let last = 0;
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const open = async () => {
        try {
          const { token } = await getSession();
          if (stopped) return;
          // EventSource cannot send headers: the token goes in the query; a new stream resumes after `last`.
          const s = new EventSource(
            `${host}/v1/widget/conversations/${id}/events?token=${encodeURIComponent(token)}&lastEventId=${last}`,
          );
          source = s;
          s.onopen = () => on.live(true);
          s.onmessage = (event) => {
            const m = JSON.parse(event.data) as WireMessage;
            last = Math.max(last, m.id);
            on.message(m);
          };
          s.onerror = () => {
            on.live(false);
            // While CONNECTING the browser retries by itself, sending Last-Event-ID; CLOSED means it gave up
            // (the server answered an error, e.g. an expired token), so a fresh session and stream are needed.
            if (s.readyState === 2) {
              s.close();
              session = undefined;
              retry();
            }
          };
        } catch {
          on.live(false);
          retry();
        }
      };
      const retry = () => {
        if (!stopped) timer = setTimeout(open, RESTREAM_MS);
      };
      void open();
      return () => {
        stopped = true;
        clearTimeout(timer);
        source?.close();
      };
    },
  };
}

/** The widget's texts for a failure: unreachable, rate-limited, or anything else. */
export function failureKind(error: unknown): 'unreachable' | 'tooMany' | 'failed' {
  if (error instanceof ApiError) {
    if (error.status === 0) return 'unreachable';
    if (error.status === 429) return 'tooMany';
  }
  return 'failed';
}
