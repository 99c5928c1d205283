// Wire schemas of surveys: definitions (staff API), what the widget is told to show, and answers it sends.
import { z } from 'zod';

/** Longest free-text answer a survey may allow. */
export const MAX_SURVEY_TEXT_CHARS = 4000;

const label = z.string().trim().min(1, 'must not be empty').max(500);

/** A text shown to shoppers, in Spanish and/or English (the widget picks the browser's language, else the other). */
export const localizedTextSchema = z
  .object({ es: label.optional(), en: label.optional() })
  .strict()
  .refine((t) => t.es !== undefined || t.en !== undefined, 'give the text in `es` or `en`');
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** Ids of questions and choices are the keys answers are stored and exported under. */
const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, `_` or `-`, at most 40');

const questionBase = {
  id: slug,
  title: localizedTextSchema,
  /** Required unless said otherwise. */
  required: z.boolean().default(true),
};

const choicesSchema = z
  .array(z.object({ id: slug, label: localizedTextSchema }).strict())
  .min(2)
  .max(20)
  .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, 'choice ids must be unique');

export const questionSchema = z.discriminatedUnion('kind', [
  /** 0–10 "how likely are you to recommend us". */
  z.object({ ...questionBase, kind: z.literal('nps') }).strict(),
  /** 1–5 satisfaction. */
  z.object({ ...questionBase, kind: z.literal('csat') }).strict(),
  z.object({ ...questionBase, kind: z.literal('single_choice'), choices: choicesSchema }).strict(),
  z
    .object({
      ...questionBase,
      kind: z.literal('multiple_choice'),
      choices: choicesSchema,
      /** How many choices an answer may pick (default 1 … all). */
      minSelected: z.number().int().min(1).max(20).optional(),
      maxSelected: z.number().int().min(1).max(20).optional(),
    })
    .strict()
    .refine((q) => (q.minSelected ?? 1) <= (q.maxSelected ?? q.choices.length), {
      message: 'minSelected must not exceed maxSelected',
      path: ['minSelected'],
    })
    .refine((q) => (q.maxSelected ?? 0) <= q.choices.length, {
      message: 'maxSelected exceeds the number of choices',
      path: ['maxSelected'],
    }),
  z
    .object({
      ...questionBase,
      kind: z.literal('text'),
      maxLength: z.number().int().min(1).max(MAX_SURVEY_TEXT_CHARS).default(1000),
    })
    .strict(),
]);
export type SurveyQuestion = z.infer<typeof questionSchema>;
export type SurveyQuestionKind = SurveyQuestion['kind'];

/**
 * A path pattern on the page's path (query and hash ignored, case-sensitive): `*` is any run of characters
 * within one segment, `**` any run including `/`, `?` one character other than `/`; anything else is literal.
 */
export const urlPatternSchema = z
  .string()
  .max(500)
  .regex(/^\/[^\s]*$/, 'a path pattern starting with `/`, without spaces, e.g. `/checkout/*`');

export const filterOperators = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains'] as const;
export type FilterOperator = (typeof filterOperators)[number];

export const eventFilterSchema = z
  .object({
    /** A property of the event, `.` going into nested objects (`shipping.method`). */
    property: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+){0,4}$/, 'a property name, `.` for nested ones (at most 5 deep)'),
    op: z.enum(filterOperators),
    /** A number compares numerically (also with numbers sent as strings); a string compares as text. */
    value: z.union([z.string().max(500), z.number(), z.boolean()]),
  })
  .strict()
  .refine((f) => typeof f.value !== 'boolean' || f.op === 'eq' || f.op === 'neq', {
    message: 'a true/false value compares only with eq or neq',
    path: ['op'],
  });
export type EventFilter = z.infer<typeof eventFilterSchema>;

export const targetingSchema = z
  .object({
    /** Show only on paths matching one of these (none: every page). */
    urls: z.array(urlPatternSchema).max(50).default([]),
    /** Never show on paths matching one of these. */
    excludeUrls: z.array(urlPatternSchema).max(50).default([]),
    /** Show only to visitors who did this tracked event, with these properties, in the last `withinDays` days. */
    event: z
      .object({
        name: z.string().trim().min(1).max(200),
        withinDays: z.number().int().min(1).max(3650).default(30),
        filters: z.array(eventFilterSchema).max(10).default([]),
      })
      .strict()
      .optional(),
    /** Show only to members of this segment (needs the segments capability; without it the survey is not shown). */
    segmentId: z.string().trim().min(1).max(200).optional(),
    /** Seconds the widget waits on the page before showing the survey. */
    delaySeconds: z.number().int().min(0).max(3600).default(0),
    /** Share of visitors who get the survey, decided once per visitor (0–100). */
    sharePercent: z.number().min(0).max(100).default(100),
  })
  .strict();
export type SurveyTargeting = z.infer<typeof targetingSchema>;

/** `once`: shown (seen, dismissed or answered) once per visitor; `every`: again `days` days after the last time. */
export const frequencySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('once') }).strict(),
  z.object({ mode: z.literal('every'), days: z.number().int().min(1).max(3650) }).strict(),
]);
export type SurveyFrequency = z.infer<typeof frequencySchema>;

export const surveyStatuses = ['draft', 'active', 'paused', 'archived'] as const;
export type SurveyStatus = (typeof surveyStatuses)[number];

export const surveyDefinitionSchema = z
  .object({
    /** For staff only. */
    name: z.string().trim().min(1).max(200),
    status: z.enum(surveyStatuses).default('draft'),
    questions: z
      .array(questionSchema)
      .min(1)
      .max(20)
      .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids must be unique'),
    targeting: targetingSchema.default(() => targetingSchema.parse({})),
    frequency: frequencySchema.default({ mode: 'once' }),
  })
  .strict();
/** What staff send to create or replace a survey. */
export type SurveyDefinitionInput = z.input<typeof surveyDefinitionSchema>;
export type SurveyDefinition = z.infer<typeof surveyDefinitionSchema>;

/** A survey as the staff API returns it. */
export interface WireSurvey extends SurveyDefinition {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export const listSurveysQuerySchema = z.object({
  /** Without it: every survey but the archived ones. */
  status: z.enum(surveyStatuses).optional(),
});

export const surveyResponsesQuerySchema = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'a cursor from nextCursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Widget side: `GET /v1/widget/surveys?url=…&max=…`. */
export const surveysForPageQuerySchema = z.object({
  /** The page's URL (http/https) or its path. */
  url: z.union([z.url({ protocol: /^https?$/ }).max(2000), urlPatternSchema.max(2000)]),
  max: z.coerce.number().int().min(1).max(5).default(1),
});

/** What a shopper sees of a survey: no name, no targeting. */
export interface WidgetSurvey {
  id: string;
  questions: SurveyQuestion[];
  /** Seconds to wait on the page before showing it. */
  delaySeconds: number;
}

export interface WidgetSurveys {
  surveys: WidgetSurvey[];
}

/** An answer: NPS/CSAT a number, single choice a choice id, multiple choice choice ids, text a string. */
export type SurveyAnswer = number | string | string[];

export const surveyResponseSchema = z
  .object({
    /** By question id; optional questions may be left out. Checked against the survey's questions. */
    answers: z.record(z.string().max(40), z.union([z.number(), z.string(), z.array(z.string())])),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .strict();
export type SurveyResponseInput = z.infer<typeof surveyResponseSchema>;

/** A stored response as the staff API returns it. */
export interface WireSurveyResponse {
  id: string;
  surveyId: string;
  anonymousId: string;
  userId: string | null;
  url: string | null;
  answers: Record<string, SurveyAnswer>;
  createdAt: string;
}

export interface SurveyQuestionResult {
  id: string;
  kind: SurveyQuestionKind;
  /** Responses that answered this question. */
  answered: number;
  /** Answers per value (`"0"`…`"10"`, `"1"`…`"5"`) or per choice id, zeros included; absent for text. */
  counts?: Record<string, number>;
  /** NPS: % promoters (9–10) − % detractors (0–6), one decimal; null with no answers. */
  nps?: { score: number | null; promoters: number; passives: number; detractors: number };
  /** CSAT: % of answers that are 4 or 5, one decimal, and the mean; null with no answers. */
  csat?: { score: number | null; average: number | null };
}

export interface WireSurveyResults {
  surveyId: string;
  responses: number;
  /** Visitors who were shown the survey / closed it without answering. */
  seen: number;
  dismissed: number;
  questions: SurveyQuestionResult[];
}
