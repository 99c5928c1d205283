// The demo's people side: a staff team (one user per role), chats (answered and waiting), complaints in every
// workflow state moved by the roles that may move them, and a survey with answers — all through the public
// widget API and the staff API, as shoppers and staff would have made them.
import type { Kysely } from 'kysely';
import { createStaffUser, type Role } from '../auth/index.ts';
import { loadWidgetSecrets, userHash } from '../conversations/index.ts';
import type { Database } from '../db/index.ts';
import type { ComplaintAction, ComplaintStatus, SurveyDefinitionInput, WidgetSession } from '../protocol/index.ts';
import type { RequestFn } from './ingest.ts';
import { person } from './people.ts';
import { pick, prng } from './traffic.ts';

export interface DemoStaff {
  role: Role;
  email: string;
  password: string;
}

export interface SupportCounts {
  chats: number;
  answeredChats: number;
  complaints: Record<ComplaintStatus, number>;
  surveyResponses: number;
}

export interface SupportOptions {
  seed: number;
  siteId: string;
  writeKey: string;
  secretKey: string;
  origin: string;
  /** Customers of the generated history (chats and complaints come from some of them). */
  customers: number;
  chats: number;
  /** Complaints per final state. */
  complaintsPerState: number;
  surveyResponses: number;
}

export const STAFF_DOMAIN = 'tienda-demo.example';

/** Staff users of the demo site with these roles, as `<role>@tienda-demo.example`; passwords are returned once. */
export async function createDemoStaff(
  db: Kysely<Database>,
  siteId: string,
  roles: readonly Role[],
): Promise<DemoStaff[]> {
  const staff: DemoStaff[] = [];
  for (const role of roles) {
    const email = `${role}@${STAFF_DOMAIN}`;
    const user = await createStaffUser(db, { email, role, siteIds: [siteId] });
    staff.push({ role, email, password: user.password });
  }
  return staff;
}

const chatOpeners = [
  '¿Tenéis la talla 42 de las Brisa en negro?',
  'Hola, ¿cuánto tarda el envío a Canarias?',
  'Quería cambiar la dirección de mi pedido.',
  '¿La chaqueta Nube es realmente impermeable o solo repele el agua?',
  '¿Puedo devolver unas zapatillas que ya he usado una vez?',
  'No me ha llegado el correo de confirmación del pedido.',
  '¿Hacéis descuento a clubes de montaña?',
  '¿Las botas Cumbre tallan grande?',
];
const agentReplies = [
  '¡Hola! Sí, nos quedan unidades; te dejo el enlace en un momento.',
  'Gracias por escribirnos. Lo reviso ahora mismo y te digo.',
  'Hecho: ya lo tienes actualizado. ¿Algo más?',
  'Te recomiendo media talla más. Si no te queda bien, el cambio es gratis.',
];
const complaintTexts = [
  ['producto defectuoso', 'La suela de las zapatillas se ha despegado a las dos semanas.'],
  ['envío', 'El paquete llegó abierto y faltaba un calcetín del pack.'],
  ['cobro', 'Me habéis cobrado dos veces el mismo pedido.'],
  ['talla', 'La talla no corresponde con la guía de tallas de la web.'],
] as const;

/** The actions that take a complaint from registered to each state (rejected goes review → reject). */
const pathTo: Record<ComplaintStatus, ComplaintAction[]> = {
  registered: [],
  in_review: ['review'],
  rejected: ['review', 'reject'],
  validated: ['review', 'validate'],
  resolved: ['review', 'validate', 'resolve'],
  closed: ['review', 'validate', 'resolve', 'close'],
};
const actorFor: Record<ComplaintAction, Role> = {
  review: 'agent',
  validate: 'validator',
  reject: 'validator',
  resolve: 'agent',
  close: 'agent',
};
const actionTexts: Record<ComplaintAction, string | undefined> = {
  review: 'Informe técnico: revisado el producto y el historial del pedido; defecto de fabricación probable.',
  validate: 'Informe correcto. Procede la compensación.',
  reject: 'Falta la foto del producto; completad el informe.',
  resolve: 'Sentimos las molestias: te enviamos un par nuevo sin coste y te devolvemos los gastos de envío.',
  close: undefined,
};

export const demoSurvey: SurveyDefinitionInput = {
  name: 'Satisfacción tras la compra',
  status: 'active',
  questions: [
    {
      id: 'nps',
      kind: 'nps',
      title: { es: '¿Recomendarías Nortera a un amigo?', en: 'Would you recommend Nortera to a friend?' },
    },
    { id: 'csat', kind: 'csat', title: { es: '¿Qué tal la entrega?', en: 'How was the delivery?' } },
    {
      id: 'found-via',
      kind: 'single_choice',
      title: { es: '¿Cómo nos conociste?', en: 'How did you find us?' },
      choices: [
        { id: 'google', label: { es: 'Google', en: 'Google' } },
        { id: 'instagram', label: { es: 'Instagram', en: 'Instagram' } },
        { id: 'friend', label: { es: 'Un amigo', en: 'A friend' } },
        { id: 'shop', label: { es: 'La tienda física', en: 'Our shop' } },
      ],
    },
    { id: 'comment', kind: 'text', required: false, title: { es: '¿Qué mejorarías?', en: 'What would you improve?' } },
  ],
  targeting: { urls: ['/demo/**'] },
  frequency: { mode: 'once' },
};
const surveyComments = [
  'Más tallas grandes',
  'Envío más rápido a las islas',
  'Todo perfecto',
  'Fotos de producto más grandes',
];

/** Creates the support history; `request` is an in-process app with lenient limits. */
export async function createSupportHistory(
  db: Kysely<Database>,
  request: RequestFn,
  o: SupportOptions,
  staff: readonly DemoStaff[],
): Promise<SupportCounts> {
  const rnd = prng(o.seed ^ 0x5eed);
  const { identitySecret } = await loadWidgetSecrets(db, o.siteId);
  let ip = 0;

  const call = async <T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> }) => {
    const res = await request(path, {
      method: init.method ?? 'POST',
      headers: {
        origin: o.origin,
        'content-type': 'application/json',
        // A different address per shopper, as in real traffic (per-address limits apply to each).
        'x-forwarded-for': `198.51.100.${(ip++ % 250) + 1}`,
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (!res.ok) throw new Error(`demo: ${init.method ?? 'POST'} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const staffCall = <T>(path: string, body: unknown) =>
    call<T>(path, { body, headers: { authorization: `Bearer ${o.secretKey}` } });
  const emailOf = (role: Role) => staff.find((s) => s.role === role)?.email ?? '';

  /** A widget session of customer n, trusted as that user (the demo shop signs its user ids). */
  const shopper = async (n: number) => {
    const who = person(prng(o.seed + n), n);
    const session = await call<WidgetSession>('/v1/widget/session', {
      body: {
        writeKey: o.writeKey,
        anonymousId: `demo-widget-${n}`,
        userId: who.userId,
        userHash: userHash(identitySecret, who.userId),
      },
    });
    const auth = { authorization: `Bearer ${session.token}` };
    return {
      who,
      post: <T>(path: string, body: unknown) => call<T>(path, { body, headers: auth }),
    };
  };
  const someCustomer = () => 1 + Math.floor(rnd() * o.customers);

  let answeredChats = 0;
  for (let i = 0; i < o.chats; i++) {
    const s = await shopper(someCustomer());
    const chat = await s.post<{ conversation: { id: string } }>('/v1/widget/conversations', {
      text: pick(rnd, chatOpeners),
      email: s.who.email,
      pageUrl: `${o.origin}/demo/`,
    });
    // Two thirds answered by the agent (half of those closed); the rest wait in the inbox.
    if (i % 3 === 2) continue;
    const id = chat.conversation.id;
    await staffCall(`/api/conversations/${id}/assign`, { assignee: emailOf('agent'), actor: emailOf('agent') });
    await staffCall(`/api/conversations/${id}/messages`, { text: pick(rnd, agentReplies), actor: emailOf('agent') });
    if (i % 2 === 0) {
      await s.post(`/v1/widget/conversations/${id}/messages`, { text: '¡Gracias!' });
      await staffCall(`/api/conversations/${id}/status`, { status: 'closed', actor: emailOf('agent') });
    }
    answeredChats++;
  }

  const complaints = { registered: 0, in_review: 0, validated: 0, rejected: 0, resolved: 0, closed: 0 };
  for (const status of Object.keys(pathTo) as ComplaintStatus[]) {
    for (let k = 0; k < o.complaintsPerState; k++) {
      const s = await shopper(someCustomer());
      const [category, description] = pick(rnd, complaintTexts);
      const created = await s.post<{ conversationId: string }>('/v1/widget/complaints', {
        category,
        description,
        orderNumber: `NT-${String(1 + Math.floor(rnd() * 500)).padStart(6, '0')}`,
        email: s.who.email,
      });
      for (const action of pathTo[status]) {
        const text = actionTexts[action];
        await staffCall(`/api/complaints/${created.conversationId}/transitions`, {
          action,
          actor: emailOf(actorFor[action]),
          ...(text ? { text } : {}),
        });
      }
      complaints[status]++;
    }
  }

  // Survey answers: the hook is the surveys capability's own API (create as staff, answer as shoppers).
  let surveyResponses = 0;
  if (o.surveyResponses > 0) {
    const survey = await staffCall<{ id: string }>('/api/surveys', demoSurvey);
    for (let i = 0; i < Math.min(o.surveyResponses, o.customers); i++) {
      // Each customer answers at most once (the survey asks once): a prime stride visits distinct ones.
      const s = await shopper(1 + ((i * 7919) % o.customers));
      // Happy customers more often than not: NPS leans to 8–10.
      const nps = 10 - Math.floor(rnd() * rnd() * 11);
      await s.post(`/v1/widget/surveys/${survey.id}/responses`, {
        answers: {
          nps,
          csat: Math.max(1, Math.min(5, Math.round(nps / 2 + rnd() - 0.5))),
          'found-via': pick(rnd, ['google', 'instagram', 'friend', 'shop']),
          ...(rnd() < 0.3 ? { comment: pick(rnd, surveyComments) } : {}),
        },
        url: `${o.origin}/demo/checkout`,
      });
      surveyResponses++;
    }
  }
  return { chats: o.chats, answeredChats, complaints, surveyResponses };
}
