import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { addToTeam, changeRole, listTeam, removeFromTeam, type TeamMember } from '../../accounts/team.js';
import { ROLES } from '../../domain/roles.js';
import { storeOf } from '../auth.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

/** The team API (docs/dashboard.md, "Team"): the owner's, as every route the access table does not open. */

const RoleSchema = Type.Enum([...ROLES], { description: 'owner, marketer or agent (docs/dashboard.md, Roles)' });

const MemberView = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  createdAt: Type.String({ description: 'When they joined this store' }),
});

const AddBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    role: RoleSchema,
    name: Type.Optional(
      Type.String({ maxLength: 200, description: 'For a new account; an existing one keeps its name' }),
    ),
  },
  { additionalProperties: false },
);

const RoleBody = Type.Object({ role: RoleSchema }, { additionalProperties: false });
const UserParams = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 100 }) });

const present = (m: TeamMember) => ({ ...m, createdAt: new Date(m.createdAt).toISOString() });

export function teamRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/v1/store/members', {
    schema: {
      summary: "The store's team: every member with their role, by email",
      tags: ['team'],
      security: bearerAuth,
      response: { 200: Type.Object({ members: Type.Array(MemberView) }) },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => ({ members: (await listTeam(deps.storage, storeOf(request).id)).map(present) }),
  });

  app.post<{ Body: { email: string; role: string; name?: string } }>('/v1/store/members', {
    schema: {
      summary: 'Add a person to the team with a role; a new email gets an account and a password shown once',
      tags: ['team'],
      security: bearerAuth,
      body: AddBody,
      response: {
        201: Type.Object({
          member: MemberView,
          password: Type.Union([Type.String(), Type.Null()], {
            description:
              'A new account: its generated password, shown only here (stored as a scrypt hash). null: the email already had an account, which keeps its password.',
          }),
        }),
      },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const added = await addToTeam(deps.storage, storeOf(request).id, request.body, deps.clock.now());
      // The password is in this answer only: never cached by anything between.
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ member: present(added.member), password: added.password });
    },
  });

  app.patch<{ Params: { userId: string }; Body: { role: string } }>('/v1/store/members/:userId', {
    schema: {
      summary: "Change a member's role (the store keeps at least one owner)",
      tags: ['team'],
      security: bearerAuth,
      params: UserParams,
      body: RoleBody,
      response: { 200: MemberView },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) =>
      present(await changeRole(deps.storage, storeOf(request).id, request.params.userId, request.body.role)),
  });

  app.delete<{ Params: { userId: string } }>('/v1/store/members/:userId', {
    schema: {
      summary: 'Take a member out of the store (never its last owner); their account and other stores stay',
      tags: ['team'],
      security: bearerAuth,
      params: UserParams,
      response: { 204: Type.Null() },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      await removeFromTeam(deps.storage, storeOf(request).id, request.params.userId);
      return reply.code(204).send();
    },
  });
}
