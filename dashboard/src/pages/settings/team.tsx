// The site's team for admins: who works here with which role; add by email (a new account's password is
// shown once), change a role, remove someone. The server keeps at least one admin and says so when asked not to.
import { useState } from 'preact/hooks';
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatDate } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Confirm } from '../../ui/confirm.tsx';
import { Field } from '../../ui/field.tsx';
import { useLoad } from '../../ui/load.ts';
import { Loaded } from '../../ui/notice.tsx';
import { DataTable } from '../../ui/table.tsx';
import { errorFor } from './errors.ts';
import { messages } from './messages.ts';
import { Copyable, Outcome, Section } from './parts.tsx';
import { type Role, roles, type TeamMember } from './types.ts';
import { useAction } from './use-action.ts';

function AddMember({ onAdded }: { onAdded: () => void }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const { busy, error, run } = useAction();
  const [added, setAdded] = useState<{ email: string; password: string | null } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setAdded(null);
    await run(async () => {
      const res = await call(api.api.team.$post({ json: { email: email.trim(), role } }));
      setAdded({ email: res.member.email, password: res.password });
      setEmail('');
      onAdded();
    });
  };

  return (
    <form class="add-member" onSubmit={(e) => void submit(e)} noValidate>
      <h4>{t.addMember}</h4>
      <div class="row">
        <Field label={t.email} error={errorFor(error, 'email')}>
          {(ids) => (
            <input
              {...ids}
              type="email"
              name="email"
              autocomplete="off"
              value={email}
              required
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t.role} error={errorFor(error, 'role')}>
          {(ids) => (
            <select {...ids} name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t.roles[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.adding : t.add}
        </button>
      </div>
      <Outcome error={error} fields={['email', 'role']} />
      {added && (
        <div class="notice notice-ok" role="status">
          <p>{added.password === null ? t.added(added.email) : t.newPassword(added.email)}</p>
          {added.password !== null && <Copyable value={added.password} label={t.password} />}
        </div>
      )}
    </form>
  );
}

export function Team() {
  const t = useMessages(messages);
  const { api, me } = useDashboard();
  const load = useLoad(() => call(api.api.team.$get()), []);
  const [removing, setRemoving] = useState<TeamMember | null>(null);
  const { busy, error, run } = useAction();

  const act = async (work: () => Promise<unknown>) => {
    if (await run(work)) setRemoving(null);
    load.reload();
  };
  const changeRole = (m: TeamMember, role: Role) =>
    act(() => call(api.api.team[':userId'].$put({ param: { userId: m.userId }, json: { role } })));
  const remove = (m: TeamMember) => act(() => call(api.api.team[':userId'].$delete({ param: { userId: m.userId } })));

  return (
    <Section id="settings-team" title={t.team}>
      <Loaded load={load}>
        {({ members }) => (
          <DataTable
            caption={t.teamCaption}
            rowKey={(m) => m.userId}
            rows={members}
            columns={[
              {
                label: t.email,
                cell: (m) => (m.userId === me.value?.user.id ? `${m.email} ${t.you}` : m.email),
              },
              {
                label: t.role,
                cell: (m) => (
                  <select
                    aria-label={t.roleOf(m.email)}
                    value={m.role}
                    disabled={busy}
                    onChange={(e) => void changeRole(m, e.currentTarget.value as Role)}
                  >
                    {roles.map((r) => (
                      <option key={r} value={r}>
                        {t.roles[r]}
                      </option>
                    ))}
                  </select>
                ),
              },
              { label: t.since, cell: (m) => formatDate(m.since) },
              {
                label: t.actions,
                cell: (m) => (
                  <button
                    type="button"
                    class="danger"
                    aria-label={t.removeMember(m.email)}
                    disabled={busy}
                    onClick={() => setRemoving(m)}
                  >
                    {t.remove}
                  </button>
                ),
              },
            ]}
          />
        )}
      </Loaded>
      {removing && (
        <Confirm
          question={t.confirmRemove(removing.email)}
          confirmLabel={t.removeMember(removing.email)}
          busy={busy}
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
      <Outcome error={error} />
      <AddMember onAdded={load.reload} />
    </Section>
  );
}
