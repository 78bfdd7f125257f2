import { useState } from 'preact/hooks';
import type { Role } from '../../api/types.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { formatDate } from '../../ui/format.js';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { SecretOnce } from './secret-once.js';
import { Field, Outcome, SettingsFrame, useAction } from './settings-ui.js';

interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: string;
}

const ROLE_WORDS: Record<Role, string> = {
  owner: 'Owner — everything: channels, keys, users, settings',
  marketer: 'Marketer — templates, journeys, contacts, messages',
  agent: 'Agent — contacts, orders, messages',
};
const ROLE_NAMES: Record<Role, string> = { owner: 'Owner', marketer: 'Marketer', agent: 'Agent' };
/** The least powerful first: what a new person gets unless the owner chooses otherwise. */
const ROLES: Role[] = ['agent', 'marketer', 'owner'];

/** Users and roles (the team API, docs/dashboard.md): who may sign in to this store, and what they may do. */
export function TeamPage(_props: PageProps) {
  const team = useApi<{ members: Member[] }>('/v1/store/members');
  const [added, setAdded] = useState<{ email: string; password: string } | null>(null);
  return (
    <SettingsFrame title="Team">
      <section class="panel panel-wide" aria-labelledby="team-title">
        <h2 id="team-title">People in this store</h2>
        {team.error ? <InlineProblem error={team.error} retry={team.reload} /> : null}
        {team.loading && !team.data ? <Loading /> : null}
        <ul class="plain-list">
          {team.data?.members.map((m) => (
            <MemberItem key={`${m.userId}:${m.role}`} member={m} onChange={team.reload} />
          ))}
        </ul>
      </section>
      {added ? (
        <SecretOnce
          id="new-password"
          label={`Password for ${added.email}`}
          value={added.password}
          note="Give it to them yourself: it is not shown again. They sign in at this address with their email and it."
        />
      ) : null}
      <AddMember
        onAdded={(email, password) => {
          setAdded(password ? { email, password } : null);
          team.reload();
        }}
      />
    </SettingsFrame>
  );
}

function MemberItem({ member, onChange }: { member: Member; onChange: () => void }) {
  const { api, session } = useStore();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const you = member.userId === session.user.id;
  const who = member.name ? `${member.name} (${member.email})` : member.email;
  const setRole = async (role: string) => {
    const ok = await action.run(() =>
      api.send('PATCH', `/v1/store/members/${encodeURIComponent(member.userId)}`, { role }),
    );
    if (ok !== null) onChange();
  };
  const remove = async () => {
    const ok = await action.run(() => api.send('DELETE', `/v1/store/members/${encodeURIComponent(member.userId)}`));
    if (ok !== null) onChange();
  };
  const roleId = `role-${member.userId}`;
  return (
    <li>
      <span class="split">
        <span class="break">
          <strong>{member.name ?? member.email}</strong>
          {you ? ' (you)' : ''}
          {member.name ? <span class="muted small"> {member.email}</span> : null}
        </span>
        <span class="team-role">
          <label class="sr-only" for={roleId}>
            Role of {who}
          </label>
          <select
            id={roleId}
            value={member.role}
            disabled={action.busy}
            onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
        </span>
      </span>
      <span class="muted small">Since {formatDate(member.createdAt)}</span>
      <div class="panel-actions">
        {confirming ? (
          <>
            <span>Remove {who} from this store? Their account and other stores stay.</span>
            <button type="button" class="button button-danger" disabled={action.busy} onClick={remove}>
              Yes, remove
            </button>
            <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            class="button button-quiet"
            onClick={() => setConfirming(true)}
            aria-label={`Remove ${who}`}
          >
            Remove
          </button>
        )}
      </div>
      <Outcome error={action.error} done={null} />
    </li>
  );
}

function AddMember({ onAdded }: { onAdded: (email: string, password: string | null) => void }) {
  const { api } = useStore();
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const body = {
      email: String(data.get('email') ?? '').trim(),
      role: String(data.get('role')),
      ...(name ? { name } : {}),
    };
    const answer = await action.run(
      () => api.send<{ member: Member; password: string | null }>('POST', '/v1/store/members', body),
      `${body.email} is now in the store.`,
    );
    if (answer) {
      form.reset();
      onAdded(answer.member.email, answer.password);
    }
  };
  return (
    <section class="panel" aria-labelledby="add-title">
      <h2 id="add-title">Add someone</h2>
      <form class="settings-form" onSubmit={submit}>
        <Field id="add-email" name="email" label="Email" type="email" required autoComplete="off" />
        <Field id="add-name" name="name" label="Name (optional)" maxLength={200} autoComplete="off" />
        <div class="field">
          <label for="add-role">Role</label>
          <select id="add-role" name="role" required>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_WORDS[r]}
              </option>
            ))}
          </select>
        </div>
        <p class="hint">
          Someone new gets an account and a password shown once; someone who already has a Storewire account keeps their
          password.
        </p>
        <button type="submit" class="button button-primary" disabled={action.busy}>
          Add to the store
        </button>
      </form>
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}
