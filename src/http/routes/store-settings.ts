import type { FastifyInstance } from 'fastify';
import {
  STORE_SETTING_FIELDS,
  readStoreSettings,
  type StoreSettingName,
  StoreSettingsPatch,
  StoreSettingsView,
  updateStoreSettings,
} from '../../engine/store-settings.js';
import { storeOf } from '../auth.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

/** What a store sets about itself (docs/store-settings.md); the fields are listed in engine/store-settings.ts. */
export function storeSettingsRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/v1/store/settings', {
    schema: {
      summary: "The store's settings: name, country, time zone, consent keywords, order and marketing rules",
      tags: ['store'],
      security: bearerAuth,
      response: { 200: StoreSettingsView },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => readStoreSettings(storeOf(request)),
  });

  app.patch<{ Body: Partial<Record<StoreSettingName, unknown>> }>('/v1/store/settings', {
    schema: {
      summary: 'Change some of the store settings; the others keep their values',
      tags: ['store'],
      security: bearerAuth,
      body: StoreSettingsPatch,
      response: { 200: StoreSettingsView },
    },
    onRequest: deps.auth.storeKey,
    // Fastify's validator drops unknown properties; a misspelt setting must not be dropped silently.
    preValidation: (request, reply, done) => {
      const body = request.body;
      const unknown =
        body && typeof body === 'object' && !Array.isArray(body)
          ? Object.keys(body).find((key) => !Object.hasOwn(STORE_SETTING_FIELDS, key))
          : undefined;
      if (unknown === undefined) return done();
      void sendError(reply, 'VALIDATION_FAILED', `body/${unknown} is not a store setting`, {
        path: `body/${unknown}`,
        settings: Object.keys(STORE_SETTING_FIELDS),
      });
    },
    handler: async (request) => {
      const updated = await updateStoreSettings(deps.storage, storeOf(request), request.body);
      // This process's requests see the change at once (others within the auth cache's few seconds).
      deps.auth.forget(updated.id);
      return readStoreSettings(updated);
    },
  });
}
