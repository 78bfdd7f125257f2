/** Templates: definition, validation, rendering. See docs/templates.md. */
export { findTemplate, ownTemplate, templatesOfStore, type ResolvedTemplate } from './catalog.js';
export { mergeData, type MergeData, type MergeInput } from './merge-data.js';
export { builtInTemplate, builtInTemplates, renderFromParams, type BuiltInTemplate } from './messenger.js';
export { renderTemplate } from './render.js';
export type { Preview, PreviewButton, PreviewHeader, Rendered, RenderError, RenderResult } from './result.js';
export {
  MessengerTemplate,
  TemplateDefinition,
  WhatsAppTemplate,
  type MessengerTemplateDefinition,
  type WhatsAppTemplateDefinition,
} from './schema.js';
export { templateNameProblem, validateTemplate, type TemplateProblem, type TemplateValidation } from './validate.js';
