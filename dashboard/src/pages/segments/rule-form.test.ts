// The rule builder's form model: every rule type and operator to the form and back, negations as flags, typed
// values, server error paths to the condition they concern, and the tree edits.
import type { SegmentRule, WireSegmentCatalog } from '@fideliza/server/protocol';
import { describe, expect, it } from 'vitest';
import {
  countLeaves,
  depthOf,
  type FormNode,
  formToRule,
  type GroupNode,
  locate,
  newExtension,
  newLeaf,
  removeNode,
  ruleToForm,
  updateNode,
} from './rule-form.ts';

/** A tree with every rule type, operators with and without values, `not` over a group and over leaves. */
const everything: SegmentRule = {
  type: 'and',
  rules: [
    { type: 'trait', key: 'plan', op: 'eq', value: 'gold' },
    { type: 'trait', key: 'age', op: 'gte', value: 30 },
    { type: 'trait', key: 'vip', op: 'neq', value: true },
    { type: 'trait', key: 'phone', op: 'not_exists' },
    { type: 'trait', key: 'email', op: 'starts_with', value: 'ana' },
    { type: 'counter', field: 'orders', op: 'gte', value: 2 },
    { type: 'counter', field: 'last_seen', op: 'gte', value: { daysAgo: 30 } },
    { type: 'counter', field: 'first_seen', op: 'lt', value: { at: '2026-01-01T00:00:00Z' } },
    { type: 'class', field: 'rfm_segment', op: 'eq', value: 'champions' },
    { type: 'class', field: 'premium', op: 'neq', value: false },
    { type: 'class', field: 'recency_score', op: 'lte', value: 2 },
    {
      type: 'not',
      rule: {
        type: 'or',
        rules: [
          {
            type: 'did',
            event: 'Order Completed',
            atLeast: 2,
            withinDays: 90,
            where: [
              { property: 'total', op: 'gt', value: 50 },
              { property: 'coupon', op: 'exists' },
            ],
          },
          { type: 'not', rule: { type: 'did_not', event: 'Product Viewed', withinDays: 7, where: [] } },
          { type: 'visited', path: '/p/**', match: 'glob', withinDays: 14 },
        ],
      },
    },
    { type: 'ext', kind: 'open_complaints', params: { atLeast: 1 } },
  ],
};

const catalog: WireSegmentCatalog = {
  limits: { depth: 8, leaves: 50, windowDays: 3650, propertyFilters: 10 },
  leaves: [
    { type: 'trait', operators: ['eq', 'exists'], valueless: ['exists', 'not_exists'] },
    { type: 'counter', numberFields: ['orders'], dateFields: ['last_seen'], operators: ['gte'] },
    {
      type: 'class',
      fields: [{ field: 'lifecycle', operators: ['eq', 'neq'], values: { kind: 'names', names: ['prospect'] } }],
    },
    { type: 'did', operators: ['eq'], valueless: ['exists'] },
    { type: 'did_not', operators: ['eq'], valueless: ['exists'] },
    { type: 'visited', matches: ['exact', 'prefix', 'glob'] },
  ],
  extensions: [
    {
      kind: 'answered',
      label: 'Answered a survey',
      params: { type: 'object', properties: { question: { type: 'string' }, times: { type: 'integer', default: 1 } } },
    },
  ],
  suggestions: { traits: ['email'], events: ['Order Completed'], paths: ['/shoes'] },
};

const leafAt = (root: GroupNode, ...path: number[]): FormNode => {
  let node: FormNode = root;
  for (const i of path) node = (node as GroupNode).children[i] as FormNode;
  return node;
};

describe('rule ↔ form', () => {
  it('maps every rule type to the form and back unchanged', () => {
    const form = ruleToForm(everything);
    expect(formToRule(form)).toEqual(everything);
    expect(countLeaves(form)).toBe(15);
  });

  it('keeps negations as flags on groups and leaves', () => {
    const form = ruleToForm(everything);
    const group = leafAt(form, 11);
    expect(group).toMatchObject({ kind: 'group', negated: true, match: 'any' });
    expect(leafAt(form, 11, 1)).toMatchObject({ kind: 'leaf', negated: true, leaf: { type: 'did_not' } });
    // A double negation is no negation.
    const twice = ruleToForm({ type: 'not', rule: { type: 'not', rule: { type: 'trait', key: 'a', op: 'exists' } } });
    expect(formToRule(twice)).toEqual({ type: 'and', rules: [{ type: 'trait', key: 'a', op: 'exists' }] });
  });

  it('puts a lone condition in an "all" group', () => {
    const premium: SegmentRule = { type: 'class', field: 'premium', op: 'eq', value: true };
    const form = ruleToForm(premium);
    expect(form).toMatchObject({ kind: 'group', match: 'all', negated: false });
    expect(formToRule(form)).toEqual({ type: 'and', rules: [premium] });
  });

  it('sends values typed as text, number or yes/no, and no value for exists', () => {
    const form = ruleToForm({ type: 'and', rules: [{ type: 'trait', key: 'plan', op: 'eq', value: 'x' }] });
    const id = leafAt(form, 0).id;
    const edit = (leaf: object) =>
      formToRule(
        updateNode(form, id, (n) => (n.kind === 'leaf' ? { ...n, leaf: { ...n.leaf, ...leaf } as never } : n)),
      );
    expect(edit({ value: ' 42 ', valueKind: 'number' })).toEqual({
      type: 'and',
      rules: [{ type: 'trait', key: 'plan', op: 'eq', value: 42 }],
    });
    expect(edit({ value: 'true', valueKind: 'boolean' })).toMatchObject({ rules: [{ value: true }] });
    expect(edit({ value: '007', valueKind: 'text' })).toMatchObject({ rules: [{ value: '007' }] });
    expect(edit({ op: 'exists', value: 'ignored' })).toEqual({
      type: 'and',
      rules: [{ type: 'trait', key: 'plan', op: 'exists' }],
    });
    // Not a number: sent as typed, for the server to name the field.
    expect(edit({ value: 'many', valueKind: 'number' })).toMatchObject({ rules: [{ value: 'many' }] });
  });

  it('maps a counter date typed as a day and "days ago" typed as text', () => {
    const form = ruleToForm({ type: 'counter', field: 'last_seen', op: 'gte', value: { daysAgo: 30 } });
    const id = leafAt(form, 0).id;
    const set = (leaf: object) =>
      formToRule(
        updateNode(form, id, (n) => (n.kind === 'leaf' ? { ...n, leaf: { ...n.leaf, ...leaf } as never } : n)),
      );
    expect(set({ value: '45' })).toMatchObject({ rules: [{ value: { daysAgo: 45 } }] });
    expect(set({ mode: 'at', value: '2026-03-01T00:00:00Z' })).toMatchObject({
      rules: [{ value: { at: '2026-03-01T00:00:00Z' } }],
    });
  });

  it('finds the condition a server error names, through groups and negations', () => {
    const form = ruleToForm(everything);
    const did = leafAt(form, 11, 0);
    const didNot = leafAt(form, 11, 1);
    expect(locate(form, 'rules.rules.11.rule.rules.0.where.1.value')).toEqual({ node: did, rest: 'where.1.value' });
    expect(locate(form, 'rules.rules.11.rule.rules.1.rule.withinDays')).toEqual({ node: didNot, rest: 'withinDays' });
    expect(locate(form, 'rules.rules.3.value')).toEqual({ node: leafAt(form, 3), rest: 'value' });
    expect(locate(form, 'rules.rules')).toEqual({ node: form, rest: 'rules' });
    expect(locate(form, 'name')).toBeNull();
    expect(locate(form, undefined)).toBeNull();
  });

  it('removes a condition and measures the tree as the server does', () => {
    const form = ruleToForm(everything);
    const target = leafAt(form, 11, 2);
    const removed = removeNode(form, target.id);
    expect(countLeaves(removed)).toBe(14);
    expect(countLeaves(form)).toBe(15);
    // and → not → or → not → did_not: 5 levels.
    expect(depthOf(form)).toBe(5);
  });

  it('starts new conditions from the catalog', () => {
    const [trait, counter, cls, did, , visited] = catalog.leaves;
    expect(newLeaf(trait as never, catalog)).toEqual({
      type: 'trait',
      key: 'email',
      op: 'eq',
      value: '',
      valueKind: 'text',
    });
    expect(newLeaf(counter as never, catalog)).toMatchObject({ field: 'orders', mode: 'number', value: '1' });
    expect(newLeaf(cls as never, catalog)).toEqual({ type: 'class', field: 'lifecycle', op: 'eq', value: 'prospect' });
    expect(newLeaf(did as never, catalog)).toMatchObject({ event: 'Order Completed', atLeast: '1', withinDays: '30' });
    expect(newLeaf(visited as never, catalog)).toMatchObject({ path: '/shoes', match: 'prefix' });
    expect(newExtension(catalog.extensions[0] as never)).toEqual({
      type: 'ext',
      kind: 'answered',
      params: { times: 1 },
    });
  });
});
