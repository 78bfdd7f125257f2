import { parseArgs } from 'node:util';
import { generatePassword } from '../accounts/password.js';
import { createSignInLink, signInLinkPath } from '../accounts/sign-in-links.js';
import { addMember, resetPassword, validEmail, validPassword, validRole } from '../accounts/users.js';
import type { Config } from '../config.js';
import { openStorage, type Storage } from '../storage/database.js';
import { membersOfStore } from '../storage/memberships.js';
import { migrateToLatest } from '../storage/migrate.js';
import { findStoreById } from '../storage/stores.js';
import { findUserByEmail } from '../storage/users.js';

export const USERS_USAGE = `storewire users create --email <email> --store <store id> --role owner|marketer|agent [--name <name>] [--password-stdin]
storewire users reset-password --email <email> [--password-stdin]
storewire users sign-in-link --email <email> --store <store id>
storewire users list --store <store id>

  create           a dashboard user with a role in the store; an email that already has an
                   account gets the store (or the new role) and keeps its password
  reset-password   a new password; the user is signed out everywhere
  sign-in-link     a single-use link that signs the user in (valid 15 minutes)
  --password-stdin read the password from standard input (at least 10 characters); without it a
                   password is generated and printed this once`;

const ACTIONS = ['create', 'reset-password', 'sign-in-link', 'list'] as const;
type Action = (typeof ACTIONS)[number];

function usage(message: string): number {
  process.stderr.write(`${message}\n\n${USERS_USAGE}\n`);
  return 2;
}

/** The password piped in (`printf %s "$PW" | storewire users create ... --password-stdin`), without its final newline. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** storewire users …: team accounts for the dashboard (docs/dashboard.md). */
export async function usersCommand(config: Config, argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (!ACTIONS.includes(action as Action)) return usage(action ? `unknown action "${action}"` : 'an action is needed');
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        store: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return usage((error as Error).message);
  }
  const needs: Record<Action, (keyof typeof values)[]> = {
    create: ['email', 'store', 'role'],
    'reset-password': ['email'],
    'sign-in-link': ['email', 'store'],
    list: ['store'],
  };
  const missing = needs[action as Action].filter((name) => !values[name]);
  if (missing.length > 0) return usage(`${missing.map((name) => `--${name}`).join(', ')} required`);
  // Bad input is refused before the database is opened (or created).
  if (values.email) validEmail(values.email);
  if (values.role) validRole(values.role);
  const typed = values['password-stdin'] ? validPassword(await readStdin()) : null;

  const storage = openStorage(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  try {
    await migrateToLatest(storage);
    return await run(storage, config, action as Action, values, typed);
  } finally {
    await storage.close();
  }
}

async function run(
  storage: Storage,
  config: Config,
  action: Action,
  values: { email?: string; store?: string; role?: string; name?: string },
  typed: string | null,
): Promise<number> {
  const now = Date.now();
  const out = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);
  switch (action) {
    case 'create': {
      const password = typed ?? generatePassword();
      const added = await addMember(
        storage,
        { email: values.email!, name: values.name, storeId: values.store!, role: values.role!, password },
        now,
      );
      if (!added.createdUser) {
        out([`${added.email} (${added.userId}) is now ${added.role} of ${values.store}; their password is unchanged.`]);
        return 0;
      }
      out([`Created user ${added.email} (${added.userId}), ${added.role} of ${values.store}.`]);
      if (!typed) out([`  Password: ${password}`, 'Keep it now: it is stored hashed and cannot be shown again.']);
      return 0;
    }
    case 'reset-password': {
      const password = typed ?? generatePassword();
      const reset = await resetPassword(storage, values.email!, password, now);
      out([
        `New password set for ${values.email!.trim().toLowerCase()}; ${reset.sessionsEnded} session(s) signed out.`,
      ]);
      if (!typed) out([`  Password: ${password}`, 'Keep it now: it is stored hashed and cannot be shown again.']);
      return 0;
    }
    case 'sign-in-link': {
      const user = await findUserByEmail(storage.db, validEmail(values.email!));
      if (!user) return usage(`no user with the email ${values.email}`);
      const token = await createSignInLink(storage.db, user.id, values.store!, now);
      out([`${config.publicUrl}${signInLinkPath(token)}`, '(single use, valid 15 minutes)']);
      return 0;
    }
    case 'list': {
      if (!(await findStoreById(storage.db, values.store!))) return usage(`no store ${values.store}`);
      const members = await membersOfStore(storage.db, values.store!);
      out(members.length === 0 ? ['(no users)'] : members.map((m) => `${m.role.padEnd(9)} ${m.email}  ${m.userId}`));
      return 0;
    }
  }
}
