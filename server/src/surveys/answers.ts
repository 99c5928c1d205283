// Checking a response's answers against the survey's questions: kinds, ranges, choice ids, required ones.
import { z } from 'zod';
import type { SurveyAnswer, SurveyQuestion } from '../protocol/index.ts';

function answerSchema(q: SurveyQuestion): z.ZodType<SurveyAnswer> {
  switch (q.kind) {
    case 'nps':
      return z.number().int('a whole number').min(0).max(10);
    case 'csat':
      return z.number().int('a whole number').min(1).max(5);
    case 'single_choice':
      return z.enum(q.choices.map((c) => c.id) as [string, ...string[]]);
    case 'multiple_choice': {
      const min = q.minSelected ?? 1;
      const max = q.maxSelected ?? q.choices.length;
      return z
        .array(z.enum(q.choices.map((c) => c.id) as [string, ...string[]]))
        .min(min, `choose at least ${min}`)
        .max(max, `choose at most ${max}`)
        .refine((ids) => new Set(ids).size === ids.length, 'each choice at most once');
    }
    case 'text':
      return z.string().trim().min(1, 'must not be empty').max(q.maxLength, `at most ${q.maxLength} characters`);
  }
}

/** The zod schema of a whole response's answers: unknown question ids refused, required ones present. */
export function answersSchema(questions: readonly SurveyQuestion[]) {
  const shape: Record<string, z.ZodType<SurveyAnswer | undefined>> = {};
  for (const q of questions) shape[q.id] = q.required ? answerSchema(q) : answerSchema(q).optional();
  return z
    .strictObject(shape)
    .refine((a) => Object.values(a).some((v) => v !== undefined), 'answer at least one question')
    .transform((a) => {
      // Optional questions left out are absent from what is stored, not null.
      const out: Record<string, SurveyAnswer> = {};
      for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v;
      return out;
    });
}
