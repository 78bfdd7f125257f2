import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { TemplateDefinition } from '../../messaging/templates/schema.js';
import { templateNameProblem, validateTemplate, type TemplateProblem } from '../../messaging/templates/validate.js';
import { bearerAuth, judgeEachEventInHandler, type RouteDeps } from '../route-deps.js';

export const TemplateNameParams = Type.Object({
  name: Type.String({
    minLength: 1,
    maxLength: 512,
    description: 'The template name (WhatsApp: as approved in WhatsApp Manager).',
  }),
});

const Problem = Type.Object({
  path: Type.String({
    description: 'JSON pointer into the definition ("/parameters/first_name"); "params/name" for the name.',
  }),
  message: Type.String(),
});

const Verdict = Type.Object({
  valid: Type.Boolean(),
  problems: Type.Array(Problem),
});

/**
 * What PUT /v1/templates/{name} would say of a draft, without storing it: the dashboard's
 * editor asks as the template is typed, so the browser never keeps a copy of the rules.
 */
export function checkTemplateDraft(name: string, definition: unknown): TemplateProblem[] {
  const result = validateTemplate(definition);
  if (!result.ok) return result.problems;
  const nameProblem = templateNameProblem(name, result.template.channel);
  return nameProblem ? [{ path: 'params/name', message: nameProblem }] : [];
}

export function templateDraftRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Params: { name: string }; Body: unknown }>('/v1/templates/:name/validate', {
    schema: {
      summary: 'Check a template definition as PUT would, storing nothing',
      description:
        'The body is a definition as for PUT /v1/templates/{name}. Always 200: `valid`, and every problem found as {path, message} (the same problems PUT answers with TEMPLATE_INVALID).',
      tags: ['templates'],
      security: bearerAuth,
      params: TemplateNameParams,
      body: TemplateDefinition,
      response: { 200: Verdict },
    },
    // A draft is judged in the handler: a half-typed template is an answer, not a 400.
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const problems = checkTemplateDraft(request.params.name, request.body);
      return { valid: problems.length === 0, problems };
    },
  });
}
