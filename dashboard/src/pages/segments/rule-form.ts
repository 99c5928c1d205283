// The rule builder's form model and its mapping to and from the server's rule tree: groups (all/any) and leaves,
// each possibly negated (the tree's `not`), with values kept as typed until they are sent.
import type {
  ClassLeaf,
  ComparisonOperator,
  ConditionOperator,
  CounterLeaf,
  SegmentRule,
  WireLeafType,
  WireSegmentCatalog,
} from '@fideliza/server/protocol';

/** How a typed trait or property value is sent: as text, as a number, or as true/false. */
export type ValueKind = 'text' | 'number' | 'boolean';

export interface ConditionForm {
  op: ConditionOperator;
  /** As typed; `true`/`false` for a boolean. Ignored by exists/not_exists. */
  value: string;
  valueKind: ValueKind;
}

export interface PropertyFilterForm extends ConditionForm {
  property: string;
}

/** A date counter compares with "N days ago" or a fixed moment; a number counter with a number. */
export type CounterMode = 'number' | 'daysAgo' | 'at';

export type LeafForm =
  | ({ type: 'trait'; key: string } & ConditionForm)
  | { type: 'counter'; field: CounterLeaf['field']; op: ComparisonOperator; mode: CounterMode; value: string }
  | { type: 'class'; field: ClassLeaf['field']; op: ComparisonOperator; value: string | number | boolean }
  | { type: 'did'; event: string; atLeast: string; withinDays: string; where: PropertyFilterForm[] }
  | { type: 'did_not'; event: string; withinDays: string; where: PropertyFilterForm[] }
  | { type: 'visited'; path: string; match: 'exact' | 'prefix' | 'glob'; withinDays: string }
  | { type: 'ext'; kind: string; params: Record<string, unknown> };

export type LeafType = LeafForm['type'];

export interface GroupNode {
  id: number;
  kind: 'group';
  negated: boolean;
  match: 'all' | 'any';
  children: FormNode[];
}

export interface LeafNode {
  id: number;
  kind: 'leaf';
  negated: boolean;
  leaf: LeafForm;
}

export type FormNode = GroupNode | LeafNode;

let lastId = 0;
/** Node ids key the editor's rows; unique in the page's lifetime. */
export const nextId = () => ++lastId;

const VALUELESS: readonly ConditionOperator[] = ['exists', 'not_exists'];
export const takesValue = (op: ConditionOperator) => !VALUELESS.includes(op);

function conditionForm(op: ConditionOperator, value: string | number | boolean | undefined): ConditionForm {
  const valueKind: ValueKind = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text';
  return { op, value: value === undefined ? '' : String(value), valueKind };
}

function leafForm(rule: Exclude<SegmentRule, { type: 'and' | 'or' | 'not' }>): LeafForm {
  switch (rule.type) {
    case 'trait':
      return { type: 'trait', key: rule.key, ...conditionForm(rule.op, rule.value) };
    case 'counter': {
      const v = rule.value;
      if (typeof v === 'number') return { ...rule, mode: 'number', value: String(v) };
      return 'daysAgo' in v
        ? { ...rule, mode: 'daysAgo', value: String(v.daysAgo) }
        : { ...rule, mode: 'at', value: v.at };
    }
    case 'class':
      return { ...rule };
    case 'did':
    case 'did_not': {
      const where = rule.where.map((f) => ({ property: f.property, ...conditionForm(f.op, f.value) }));
      const common = { event: rule.event, withinDays: String(rule.withinDays), where };
      return rule.type === 'did'
        ? { type: 'did', atLeast: String(rule.atLeast), ...common }
        : { type: 'did_not', ...common };
    }
    case 'visited':
      return { ...rule, withinDays: String(rule.withinDays) };
    case 'ext':
      return { type: 'ext', kind: rule.kind, params: { ...rule.params } };
  }
}

function toNode(rule: SegmentRule, negated: boolean): FormNode {
  switch (rule.type) {
    case 'not':
      return toNode(rule.rule, !negated);
    case 'and':
    case 'or':
      return {
        id: nextId(),
        kind: 'group',
        negated,
        match: rule.type === 'and' ? 'all' : 'any',
        children: rule.rules.map((r) => toNode(r, false)),
      };
    default:
      return { id: nextId(), kind: 'leaf', negated, leaf: leafForm(rule) };
  }
}

/** The form of a stored tree; the builder edits a group at the top, so a lone leaf is put in an "all" group. */
export function ruleToForm(rule: SegmentRule): GroupNode {
  const node = toNode(rule, false);
  return node.kind === 'group' ? node : { id: nextId(), kind: 'group', negated: false, match: 'all', children: [node] };
}

/**
 * A typed number as a number; anything else is sent as typed, so the server's answer names the field that
 * needs fixing next to it (the form does not duplicate the server's checks).
 */
function numberOf(text: string): number | string {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : text;
}

function typedValue(c: ConditionForm): string | number | boolean | undefined {
  if (!takesValue(c.op)) return undefined;
  if (c.valueKind === 'number') return numberOf(c.value);
  if (c.valueKind === 'boolean') return c.value === 'true';
  return c.value;
}

/** The condition as the wire has it: no `value` key at all for exists/not_exists. */
function condition(c: ConditionForm) {
  const value = typedValue(c);
  return value === undefined ? { op: c.op } : { op: c.op, value };
}

function leafRule(leaf: LeafForm): RuleDraft {
  switch (leaf.type) {
    case 'trait':
      return { type: 'trait', key: leaf.key, ...condition(leaf) };
    case 'counter': {
      const value =
        leaf.mode === 'number'
          ? numberOf(leaf.value)
          : leaf.mode === 'daysAgo'
            ? { daysAgo: numberOf(leaf.value) }
            : { at: leaf.value };
      return { type: 'counter', field: leaf.field, op: leaf.op, value };
    }
    case 'class':
      return { type: 'class', field: leaf.field, op: leaf.op, value: leaf.value };
    case 'did':
    case 'did_not': {
      const where = leaf.where.map((f) => ({ property: f.property, ...condition(f) }));
      const withinDays = numberOf(leaf.withinDays);
      return leaf.type === 'did'
        ? { type: 'did', event: leaf.event, atLeast: numberOf(leaf.atLeast), withinDays, where }
        : { type: 'did_not', event: leaf.event, withinDays, where };
    }
    case 'visited':
      return { type: 'visited', path: leaf.path, match: leaf.match, withinDays: numberOf(leaf.withinDays) };
    case 'ext':
      return { type: 'ext', kind: leaf.kind, params: leaf.params };
  }
}

/** A tree as the form builds it: the wire's shape, a value typed wrong left as typed for the server to name. */
export type RuleDraft = Record<string, unknown>;

/** The tree to send: the server checks it and names the path of anything wrong (see locate). */
export function formToRule(node: FormNode): RuleDraft {
  const rule =
    node.kind === 'group'
      ? { type: node.match === 'all' ? 'and' : 'or', rules: node.children.map(formToRule) }
      : leafRule(node.leaf);
  return node.negated ? { type: 'not', rule } : rule;
}

/**
 * The node a server error's field (`rules.rules.1.rule.where.0.value`) concerns, and the rest of the path inside
 * it (`where.0.value`); null for a field outside the tree (`name`).
 */
export function locate(root: FormNode, field: string | undefined): { node: FormNode; rest: string } | null {
  if (!field) return null;
  const parts = field.split('.');
  if (parts[0] !== 'rules') return null;
  let node = root;
  let i = 1;
  for (;;) {
    if (node.negated && parts[i] === 'rule') i++;
    const index = Number(parts[i + 1]);
    const child = node.kind === 'group' && parts[i] === 'rules' ? node.children[index] : undefined;
    if (!child) break;
    node = child;
    i += 2;
  }
  return { node, rest: parts.slice(i).join('.') };
}

/** The tree with the node `id` replaced by what `change` returns for it. */
export function updateNode(root: GroupNode, id: number, change: (node: FormNode) => FormNode): GroupNode {
  const walk = (node: FormNode): FormNode => {
    if (node.id === id) return change(node);
    if (node.kind === 'leaf') return node;
    return { ...node, children: node.children.map(walk) };
  };
  return walk(root) as GroupNode;
}

/** The tree without the node `id`. */
export function removeNode(root: GroupNode, id: number): GroupNode {
  const walk = (node: GroupNode): GroupNode => ({
    ...node,
    children: node.children.filter((c) => c.id !== id).map((c) => (c.kind === 'group' ? walk(c) : c)),
  });
  return walk(root);
}

/** Conditions in the tree (the server allows at most `limits.leaves`). */
export function countLeaves(node: FormNode): number {
  return node.kind === 'leaf' ? 1 : node.children.reduce((n, c) => n + countLeaves(c), 0);
}

/** How deep the tree nests as sent (a negation is a level too); the server allows `limits.depth`. */
export function depthOf(node: FormNode): number {
  const own = node.negated ? 2 : 1;
  return node.kind === 'leaf' ? own : own + Math.max(0, ...node.children.map(depthOf));
}

/** The JSON Schema default of each param, so a new condition of a registered kind starts complete where it can. */
function defaultParams(schema: Record<string, unknown> | null): Record<string, unknown> {
  const properties = schema?.properties;
  if (typeof properties !== 'object' || properties === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(properties as Record<string, { default?: unknown }>)) {
    if (p && p.default !== undefined) out[key] = p.default;
  }
  return out;
}

/** A new condition of a built-in type, starting from the catalog's first choices. */
export function newLeaf(type: WireLeafType, catalog: WireSegmentCatalog): LeafForm {
  const event = catalog.suggestions.events[0] ?? '';
  switch (type.type) {
    case 'trait':
      return { type: 'trait', key: catalog.suggestions.traits[0] ?? '', op: 'eq', value: '', valueKind: 'text' };
    case 'counter': {
      const field = type.numberFields[0] ?? type.dateFields[0] ?? 'orders';
      const mode: CounterMode = type.numberFields.includes(field as never) ? 'number' : 'daysAgo';
      return { type: 'counter', field, op: 'gte', mode, value: mode === 'number' ? '1' : '30' };
    }
    case 'class': {
      const first = type.fields[0];
      const value =
        first?.values.kind === 'names'
          ? (first.values.names[0] ?? '')
          : first?.values.kind === 'score'
            ? first.values.max
            : true;
      return { type: 'class', field: first?.field ?? 'lifecycle', op: 'eq', value };
    }
    case 'did':
      return { type: 'did', event, atLeast: '1', withinDays: '30', where: [] };
    case 'did_not':
      return { type: 'did_not', event, withinDays: '30', where: [] };
    case 'visited':
      return { type: 'visited', path: catalog.suggestions.paths[0] ?? '/', match: 'prefix', withinDays: '30' };
  }
}

/** A new condition of a kind another capability registered. */
export function newExtension(kind: WireSegmentCatalog['extensions'][number]): LeafForm {
  return { type: 'ext', kind: kind.kind, params: defaultParams(kind.params) };
}

export const newGroup = (match: 'all' | 'any' = 'all'): GroupNode => ({
  id: nextId(),
  kind: 'group',
  negated: false,
  match,
  children: [],
});
