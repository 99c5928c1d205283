// A segment's page: name, description and the rule tree, with the live count while editing; save, update and
// delete for saved segments; built-in ones are shown read-only, to copy.
import type { WireSegment, WireSegmentCatalog } from '@fideliza/server/protocol';
import { useMemo, useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatNumber } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { Confirm } from '../../ui/confirm.tsx';
import { Field } from '../../ui/field.tsx';
import { useLoad } from '../../ui/load.ts';
import { ErrorNote, Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { SUGGESTIONS } from './leaf-editor.tsx';
import { type LiveCount, useLiveCount } from './live-count.ts';
import { messages } from './messages.ts';
import { useSegmentNames } from './names.ts';
import { type Problem, problemOf } from './problems.ts';
import { countLeaves, formToRule, type GroupNode, newGroup, type RuleDraft, ruleToForm } from './rule-form.ts';
import { TreeEditor } from './tree-editor.tsx';
import { asSegment } from './wire.ts';

const segmentHref = (id: string) => `/segments/${encodeURIComponent(id)}`;

function Suggestions({ catalog }: { catalog: WireSegmentCatalog }) {
  const lists = [
    [SUGGESTIONS.traits, catalog.suggestions.traits],
    [SUGGESTIONS.events, catalog.suggestions.events],
    [SUGGESTIONS.paths, catalog.suggestions.paths],
  ] as const;
  return (
    <>
      {lists.map(([id, names]) => (
        <datalist key={id} id={id}>
          {names.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      ))}
    </>
  );
}

function CountLine({ live, problem }: { live: LiveCount; problem: Problem | null }) {
  const t = useMessages(messages);
  const text =
    live.error !== undefined
      ? problem?.nodeId !== undefined
        ? t.countFailed
        : (problem?.text ?? t.countFailed)
      : !live.pending && live.count === undefined
        ? t.addFirst
        : live.count === undefined
          ? t.counting
          : t.countOf(formatNumber(live.count));
  return (
    <div class="live-count">
      <span class="live-count-label">{t.liveCount}</span>
      <output
        aria-live="polite"
        aria-busy={live.pending}
        data-count={live.error === undefined && !live.pending ? live.count : undefined}
      >
        {text}
      </output>
    </div>
  );
}

interface Draft {
  name: string;
  description: string;
  root: GroupNode;
}

function SegmentForm({
  segment,
  catalog,
  initial,
  saved,
}: {
  segment: WireSegment | undefined;
  catalog: WireSegmentCatalog;
  initial: Draft;
  saved: boolean;
}) {
  const t = useMessages(messages);
  const { api, navigate } = useDashboard();
  const [draft, setDraft] = useState(initial);
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState<'saving' | 'deleting' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [justSaved, setJustSaved] = useState(saved);
  const readOnly = segment?.builtin ?? false;

  const rules = useMemo(() => formToRule(draft.root), [draft.root]);
  const empty = countLeaves(draft.root) === 0;
  const live = useLiveCount(empty ? null : rules, (r: RuleDraft, signal) =>
    call(api.api.segments.preview.count.$post({ json: { rules: r } }, { init: { signal } })).then((b) => b.count),
  );
  const liveProblem = live.error === undefined ? null : problemOf(live.error, draft.root, t);
  const saveProblem = saveError === undefined ? null : problemOf(saveError, draft.root, t);
  const problems = new Map<number, string>();
  for (const p of [liveProblem, saveProblem]) if (p?.nodeId !== undefined) problems.set(p.nodeId, p.text);

  const edit = (change: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setSaveError(undefined);
    setJustSaved(false);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy('saving');
    setSaveError(undefined);
    const json = { name: draft.name, description: draft.description, rules };
    try {
      if (segment && !segment.builtin) {
        await call(api.api.segments[':id'].$put({ param: { id: segment.id }, json }));
        setJustSaved(true);
      } else {
        const created = await call(api.api.segments.$post({ json }));
        navigate(`${segmentHref(created.id)}?saved=1`, { replace: true });
      }
    } catch (e) {
      setSaveError(e);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!segment) return;
    setBusy('deleting');
    try {
      await call(api.api.segments[':id'].$delete({ param: { id: segment.id } }));
      navigate('/segments');
    } catch (e) {
      setSaveError(e);
      setConfirming(false);
      setBusy(null);
    }
  };

  const nameError = saveProblem?.field === 'name' ? saveProblem.text : undefined;
  const formError = saveProblem && saveProblem.nodeId === undefined && !nameError ? saveError : undefined;
  return (
    <form class="segment-form" onSubmit={(e) => void save(e)} noValidate>
      <Suggestions catalog={catalog} />
      {readOnly && (
        <p class="notice">
          {t.builtinNote} <Link href={`/segments/new?from=${encodeURIComponent(segment?.id ?? '')}`}>{t.copy}</Link>
        </p>
      )}
      <fieldset class="segment-fields" disabled={readOnly}>
        <Field label={t.name} error={nameError}>
          {(ids) => (
            <input
              {...ids}
              value={draft.name}
              maxLength={200}
              required
              onInput={(e) => edit({ name: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field label={t.description}>
          {(ids) => (
            <textarea
              {...ids}
              rows={2}
              value={draft.description}
              maxLength={2000}
              onInput={(e) => edit({ description: e.currentTarget.value })}
            />
          )}
        </Field>
      </fieldset>
      <CountLine live={live} problem={liveProblem} />
      <fieldset class="segment-rules" disabled={readOnly}>
        <TreeEditor root={draft.root} catalog={catalog} problems={problems} onChange={(root) => edit({ root })} />
      </fieldset>
      {formError !== undefined && <ErrorNote error={formError} />}
      {justSaved && (
        <p class="notice notice-ok" role="status">
          {t.savedNote}
        </p>
      )}
      {!readOnly && (
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy !== null}>
            {busy === 'saving' ? t.saving : segment ? t.update : t.save}
          </button>
          {segment && (
            <button type="button" class="danger" disabled={busy !== null} onClick={() => setConfirming(true)}>
              {busy === 'deleting' ? t.deleting : t.delete}
            </button>
          )}
        </div>
      )}
      {confirming && segment && (
        <Confirm
          question={t.confirmDelete(segment.name)}
          confirmLabel={t.confirmDeleteButton(segment.name)}
          busy={busy !== null}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </form>
  );
}

/** A saved or built-in segment (`id`), or a new one, empty or copied from `copyFrom`. */
export function Builder({ id, copyFrom, saved = false }: { id?: string; copyFrom?: string; saved?: boolean }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const source = id ?? copyFrom;
  const load = useLoad(
    () =>
      Promise.all([
        call(api.api.segments.conditions.$get()),
        source ? call(api.api.segments[':id'].$get({ param: { id: source } })).then(asSegment) : undefined,
      ]),
    [source],
  );
  const named = useSegmentNames();
  const title = load.data?.[1] && id ? t.editTitle(named(load.data[1]).name) : t.newTitle;
  return (
    <div class="segments">
      <PageHeader title={title}>
        <Link href="/segments">{t.backToList}</Link>
        {id && (
          <Link class="button" href={`${segmentHref(id)}/members`}>
            {t.members}
          </Link>
        )}
      </PageHeader>
      <Loaded load={load}>
        {([catalog, segment]) => (
          <SegmentForm
            key={source ?? 'new'}
            segment={id ? segment : undefined}
            catalog={catalog}
            saved={saved}
            initial={{
              name: segment ? (id ? segment.name : t.copyName(named(segment).name)) : '',
              description: segment ? named(segment).description : '',
              root: segment ? ruleToForm(segment.rules) : newGroup(),
            }}
          />
        )}
      </Loaded>
    </div>
  );
}
