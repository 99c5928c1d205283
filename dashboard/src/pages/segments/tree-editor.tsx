// The rule tree as nested fieldsets: groups (all/any, possibly excluded) holding conditions and groups, each
// with the server's complaint about it, if any, right below it.
import type { WireSegmentCatalog } from '@fideliza/server/protocol';
import { useState } from 'preact/hooks';
import { useMessages } from '../../i18n/index.ts';
import { Choice } from './controls.tsx';
import { LeafControls, LeafFilters } from './leaf-editor.tsx';
import { messages, type SegmentsMessages } from './messages.ts';
import {
  countLeaves,
  type FormNode,
  type GroupNode,
  type LeafForm,
  type LeafNode,
  newExtension,
  newGroup,
  newLeaf,
  nextId,
  removeNode,
  updateNode,
} from './rule-form.ts';

/** A rule type as the pickers name it: the built-in type, or `ext:<kind>` for a registered kind. */
const typeKey = (leaf: LeafForm) => (leaf.type === 'ext' ? `ext:${leaf.kind}` : leaf.type);

function typeKeys(catalog: WireSegmentCatalog): string[] {
  return [...catalog.leaves.map((l) => l.type), ...catalog.extensions.map((k) => `ext:${k.kind}`)];
}

function typeName(key: string, catalog: WireSegmentCatalog, t: SegmentsMessages): string {
  if (!key.startsWith('ext:')) return t.leafTypes[key] ?? key;
  const kind = catalog.extensions.find((k) => `ext:${k.kind}` === key);
  return t.leafTypes[key] ?? kind?.label ?? key.slice(4);
}

function leafOf(key: string, catalog: WireSegmentCatalog): LeafForm | undefined {
  const ext = catalog.extensions.find((k) => `ext:${k.kind}` === key);
  if (ext) return newExtension(ext);
  const type = catalog.leaves.find((l) => l.type === key);
  return type && newLeaf(type, catalog);
}

/** Numbers for the legends, in reading order: "Condition 3", "Group 2". */
function numbering(root: GroupNode): Map<number, number> {
  const numbers = new Map<number, number>();
  let leaves = 0;
  let groups = 0;
  const walk = (node: FormNode) => {
    if (node.kind === 'leaf') numbers.set(node.id, ++leaves);
    else {
      if (node !== root) numbers.set(node.id, ++groups);
      node.children.forEach(walk);
    }
  };
  walk(root);
  return numbers;
}

interface TreeProps {
  root: GroupNode;
  catalog: WireSegmentCatalog;
  /** Text of the server's complaint, by node id. */
  problems: ReadonlyMap<number, string>;
  onChange: (root: GroupNode) => void;
}

function Negate({ node, onToggle }: { node: FormNode; onToggle: () => void }) {
  const t = useMessages(messages);
  return (
    <label class="negate" title={t.negateHint}>
      <input type="checkbox" checked={node.negated} onChange={onToggle} /> {t.negate}
    </label>
  );
}

function ProblemText({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p class="error-text" id={id}>
      {text}
    </p>
  ) : null;
}

function AddCondition({ tree, group, level }: { tree: TreeProps; group: GroupNode; level: number }) {
  const t = useMessages(messages);
  const { catalog, root, onChange } = tree;
  const keys = typeKeys(catalog);
  const [key, setKey] = useState(keys[0] ?? 'trait');
  const full = countLeaves(root) >= catalog.limits.leaves;
  // A group inside this one, holding a condition, is two levels more (the server counts a negation as one too).
  const deep = level + 2 > catalog.limits.depth;
  const add = (node: FormNode) =>
    onChange(updateNode(root, group.id, (g) => (g.kind === 'group' ? { ...g, children: [...g.children, node] } : g)));
  return (
    <div class="group-add">
      <Choice
        label={t.conditionType}
        value={key}
        options={keys}
        text={(k) => typeName(k, catalog, t)}
        onChange={setKey}
      />
      <button
        type="button"
        disabled={full}
        onClick={() => {
          const leaf = leafOf(key, catalog);
          if (leaf) add({ id: nextId(), kind: 'leaf', negated: false, leaf });
        }}
      >
        {t.addCondition}
      </button>
      <button
        type="button"
        disabled={full || deep}
        onClick={() => add(newGroup(group.match === 'all' ? 'any' : 'all'))}
      >
        {t.addGroup}
      </button>
      {full && <small class="hint">{t.limitLeaves(catalog.limits.leaves)}</small>}
      {!full && deep && <small class="hint">{t.limitDepth(catalog.limits.depth)}</small>}
    </div>
  );
}

function LeafEditor({ tree, node, n }: { tree: TreeProps; node: LeafNode; n: number }) {
  const t = useMessages(messages);
  const { catalog, root, onChange, problems } = tree;
  const set = (change: (node: LeafNode) => LeafNode) =>
    onChange(updateNode(root, node.id, (x) => (x.kind === 'leaf' ? change(x) : x)));
  const problem = problems.get(node.id);
  const errorId = `rule-problem-${node.id}`;
  return (
    <fieldset class={problem ? 'rule-leaf rule-invalid' : 'rule-leaf'} aria-describedby={problem ? errorId : undefined}>
      <legend>{t.conditionN(n)}</legend>
      <div class="leaf-row">
        <Choice
          label={t.conditionType}
          value={typeKey(node.leaf)}
          options={typeKeys(catalog)}
          text={(k) => typeName(k, catalog, t)}
          onChange={(k) => {
            const leaf = leafOf(k, catalog);
            if (leaf) set((x) => ({ ...x, leaf }));
          }}
        />
        <LeafControls leaf={node.leaf} catalog={catalog} onChange={(leaf) => set((x) => ({ ...x, leaf }))} />
        <div class="leaf-actions">
          <Negate node={node} onToggle={() => set((x) => ({ ...x, negated: !x.negated }))} />
          <button type="button" aria-label={t.removeCondition(n)} onClick={() => onChange(removeNode(root, node.id))}>
            {t.remove}
          </button>
        </div>
      </div>
      <LeafFilters leaf={node.leaf} catalog={catalog} onChange={(leaf) => set((x) => ({ ...x, leaf }))} />
      <ProblemText id={errorId} text={problem} />
    </fieldset>
  );
}

function GroupEditor({
  tree,
  group,
  numbers,
  level,
}: {
  tree: TreeProps;
  group: GroupNode;
  numbers: Map<number, number>;
  level: number;
}) {
  const t = useMessages(messages);
  const { root, onChange, problems } = tree;
  const isRoot = group.id === root.id;
  const set = (change: (g: GroupNode) => GroupNode) =>
    onChange(updateNode(root, group.id, (x) => (x.kind === 'group' ? change(x) : x)));
  const problem = problems.get(group.id);
  const errorId = `rule-problem-${group.id}`;
  const own = level + (group.negated ? 1 : 0);
  return (
    <fieldset
      class={problem ? 'rule-group rule-invalid' : 'rule-group'}
      aria-describedby={problem ? errorId : undefined}
    >
      <legend>{isRoot ? t.rules : t.groupN(numbers.get(group.id) ?? 0)}</legend>
      <div class="group-head">
        <Choice
          label={isRoot ? t.customersMatching : t.groupMatch}
          value={group.match}
          options={['all', 'any'] as const}
          text={(m) => (m === 'all' ? t.matchAll : t.matchAny)}
          onChange={(match) => set((g) => ({ ...g, match }))}
        />
        <Negate node={group} onToggle={() => set((g) => ({ ...g, negated: !g.negated }))} />
        {!isRoot && (
          <button type="button" onClick={() => onChange(removeNode(root, group.id))}>
            {t.removeGroup}
          </button>
        )}
      </div>
      {group.children.length === 0 ? (
        <p class="hint">{t.emptyGroup}</p>
      ) : (
        <ol class="rule-children">
          {group.children.map((child) => (
            <li key={child.id}>
              {child.kind === 'group' ? (
                <GroupEditor tree={tree} group={child} numbers={numbers} level={own + 1} />
              ) : (
                <LeafEditor tree={tree} node={child} n={numbers.get(child.id) ?? 0} />
              )}
            </li>
          ))}
        </ol>
      )}
      <ProblemText id={errorId} text={problem} />
      <AddCondition tree={tree} group={group} level={own} />
    </fieldset>
  );
}

export function TreeEditor(props: TreeProps) {
  return <GroupEditor tree={props} group={props.root} numbers={numbering(props.root)} level={1} />;
}
