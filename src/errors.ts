/**
 * Every error and warning code Storewire answers with, in one place: its HTTP status (for
 * errors) and what it means. docs/errors.md documents each one; a test keeps the two in step.
 */
export const ERROR_CODES = {
  INVALID_JSON: { status: 400, description: 'The body is not valid JSON.' },
  VALIDATION_FAILED: {
    status: 400,
    description: 'The request does not match the schema; `details` names the field path.',
  },
  EMPTY_BODY: { status: 400, description: 'The request needs a JSON body.' },
  EMPTY_BATCH: { status: 400, description: 'A batch with no events in it.' },
  INVALID_EVENTS: {
    status: 400,
    description: 'Every event of the request was refused; `details.rejected` says why, event by event.',
  },
  INVALID_TIMESTAMP: {
    status: 400,
    description: 'A timestamp or date that is not ISO 8601, "YYYY-MM-DD HH:mm:ss" or epoch time.',
  },
  NO_IDENTIFIER: {
    status: 400,
    description: 'The event names no shopper: it needs a customer id, an email or a phone number.',
  },
  INVALID_EMAIL: { status: 400, description: 'The only identifier given is an email address that is not one.' },
  INVALID_PHONE: {
    status: 400,
    description: "The only identifier given is a phone number that is not valid for the store's country.",
  },
  INVALID_CUSTOMER_ID: { status: 400, description: 'A customer id that is neither a non-empty string nor a number.' },
  MISSING_REQUIRED_PARAMS: {
    status: 400,
    description: 'An order event lacks required parameters; `details.missing` lists them.',
  },
  INVALID_PARAM: {
    status: 400,
    description:
      'A parameter has a value of the wrong kind (a status outside the list, a cost that is not a number...).',
  },
  ORDER_TOTAL_MISMATCH: {
    status: 400,
    description:
      "The items do not add up to totalCost. A warning by default; an error when the store's rejectOrderTotalMismatch setting is on.",
  },
  INVALID_STORE: { status: 400, description: 'A store name, country or time zone that cannot be used.' },
  UNAUTHORIZED: {
    status: 401,
    description:
      'The API key or ingest token is missing or unknown, or (dashboard) the session cookie is missing, signed out or expired: sign in again.',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    description: 'Sign-in: the email or the password is wrong (one answer for both, so it tells nothing).',
  },
  TOO_MANY_SIGN_IN_ATTEMPTS: {
    status: 429,
    description:
      'Sign-in: 5 failed attempts for this account, or 50 from this address, in 15 minutes. Try again after `Retry-After` seconds.',
  },
  STORE_REQUIRED: {
    status: 400,
    description: 'A request signed in with a session must name its store in the `X-Store-Id` header.',
  },
  FORBIDDEN: {
    status: 403,
    description:
      "The signed-in user's role in this store does not allow this (docs/dashboard.md, Roles); ask the store's owner.",
  },
  CSRF_FAILED: {
    status: 403,
    description:
      'A state-changing request made with the session cookie lacks the `X-CSRF-Token` header of GET /v1/session (or it does not match), or came from another site. Reload the page.',
  },
  INVALID_USER: {
    status: 400,
    description:
      'storewire users: an email that is not an address, an unknown role, or a password that is too short (10 characters at least).',
  },
  USER_NOT_FOUND: { status: 404, description: 'storewire users: no user with that email.' },
  MEMBER_NOT_FOUND: { status: 404, description: 'Team API: no member with that user id in this store.' },
  MEMBER_EXISTS: {
    status: 409,
    description:
      'Team API: that email is already a member of this store; change their role with PATCH /v1/store/members/{userId} instead.',
  },
  LAST_OWNER: {
    status: 409,
    description: 'Team API: the change would leave the store without an owner; make someone else an owner first.',
  },
  INVALID_CURSOR: {
    status: 400,
    description: 'The `after` cursor of a list is not one this list gave in `next`; start again without it.',
  },
  NOT_FOUND: {
    status: 404,
    description: 'No such route, or (dashboard) the `X-Store-Id` names a store the signed-in user does not belong to.',
  },
  CONTACT_NOT_FOUND: { status: 404, description: 'No contact with that id in this store.' },
  CUSTOMER_NOT_FOUND: { status: 404, description: 'No contact with that customer id in this store.' },
  ORDER_NOT_FOUND: { status: 404, description: 'No order with that id in this store.' },
  PRODUCT_NOT_FOUND: {
    status: 404,
    description: 'No product (or variant) with that id in this store: no event has mentioned it.',
  },
  INVALID_WEBHOOK_URL: {
    status: 400,
    description: 'A webhook URL that is not an absolute http:// or https:// URL (at most 2,048 characters).',
  },
  SUBSCRIPTION_NOT_FOUND: { status: 404, description: 'No webhook subscription with that id in this store.' },
  DELIVERY_NOT_FOUND: { status: 404, description: 'No webhook delivery with that id in this store.' },
  DELIVERY_NOT_RETRYABLE: {
    status: 409,
    description:
      'Only a failed delivery of an active subscription can be retried; this one is pending, delivered, or its subscription was deleted or deactivated.',
  },
  TOO_MANY_SUBSCRIPTIONS: {
    status: 409,
    description: 'The store already has the most active webhook subscriptions allowed (20); delete one first.',
  },
  TEMPLATE_INVALID: {
    status: 400,
    description:
      "A template definition that breaks a rule (its shape, its placeholders and parameters, or Meta's limits); `details.path` points at the first problem and `details.problems` lists them all.",
  },
  TEMPLATE_NOT_FOUND: { status: 404, description: 'No template with that name in this store, and no built-in one.' },
  MISSING_PARAMETER: {
    status: 400,
    description:
      'A template parameter has no value for this message: its merge expression names something that is not there, or renders empty. `details.parameter` names it.',
  },
  INVALID_PARAMETER: {
    status: 400,
    description:
      'A template parameter has a value WhatsApp or Messenger would refuse (a media link that is not https, a newline in body text, a price that is not a number...). `details.parameter` names it.',
  },
  EVENT_NOT_FOUND: { status: 404, description: 'No event with that id in this store.' },
  SHIPMENT_ORDER_MISMATCH: {
    status: 409,
    description: 'The shipment id already belongs to another order of the store; a shipment carries one order.',
  },
  CHANNEL_NOT_CONFIGURED: {
    status: 409,
    description:
      'The store has no account for that channel: connect a WhatsApp number, Messenger page or the sandbox first (docs/channels.md).',
  },
  CHANNEL_NOT_FOUND: {
    status: 404,
    description: 'The store has no account for that channel (whatsapp, messenger or sandbox) to release.',
  },
  PROVIDER_ID_TAKEN: {
    status: 409,
    description:
      'The WhatsApp phone number id, Messenger page id or Shopify shop domain is connected to another store (which one is not said): its owner releases it, or an operator with `storewire channels release`.',
  },
  RECIPIENT_UNREACHABLE: {
    status: 409,
    description:
      'The shopper cannot be reached on that channel: no phone number (WhatsApp) or no PSID (Messenger: they never wrote to the page).',
  },
  NO_CONSENT: {
    status: 409,
    description:
      'A marketing message to a shopper who has not agreed to it: WhatsApp status not ACTIVE, or marketing on Messenger stopped (they wrote STOP).',
  },
  OUTSIDE_WINDOW: {
    status: 409,
    description: 'A free-form message more than 24 hours after the shopper last wrote; send a template instead.',
  },
  FREQUENCY_CAP: {
    status: 409,
    description:
      "The shopper already received as many marketing messages as the store's frequency cap allows in its period.",
  },
  MESSAGE_NOT_FOUND: { status: 404, description: 'No message with that id in this store.' },
  STORE_NOT_FOUND: { status: 404, description: 'The store id in the path is not the store the API key belongs to.' },
  CONNECTOR_NOT_FOUND: {
    status: 404,
    description: 'The store has no connector of that name (shopify, shiprocket); connect it with PUT first.',
  },
  WEBHOOK_TOPIC_MISMATCH: {
    status: 400,
    description:
      'A Shopify webhook body that is not what its X-Shopify-Topic says (an order sent as customers/update, a field of the wrong kind); `details.path` names the first problem. Nothing was stored.',
  },
  JOURNEY_INVALID: {
    status: 400,
    description:
      'A journey definition that breaks a rule (its shape, an unknown step id, template or channel, a bad duration, a loop without a wait); `details.path` points at the first problem and `details.problems` lists them all.',
  },
  JOURNEY_NOT_FOUND: { status: 404, description: 'No journey with that id in this store, and no ready-made one.' },
  JOURNEY_DISABLED: { status: 409, description: 'The journey is disabled: enable it before putting shoppers into it.' },
  JOURNEY_NOT_ENTERED: {
    status: 409,
    description:
      'The shopper was not put into the journey: a run of theirs is still active (`details.reason: already_active`) or the re-entry rule refuses another (`reentry`).',
  },
  RUN_NOT_FOUND: { status: 404, description: 'No journey run with that id in this store.' },
  EVENT_TOO_LARGE: {
    status: 400,
    description:
      'A Segment event over 32 KB: a single call is refused; in a batch, that event alone is refused and listed.',
  },
  BATCH_TOO_LARGE: {
    status: 400,
    description: 'A Segment batch over 500 KB; nothing of it was stored. Send smaller batches.',
  },
  RATE_LIMITED: {
    status: 429,
    description:
      'Segment routes: Storewire is shedding load and stored nothing; retry after `Retry-After` seconds (Segment clients do so by themselves).',
  },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The body is over the 1 MB limit; send smaller batches.' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    description: 'The database cannot be reached or the server is shutting down; retry later. Nothing was stored.',
  },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected fault; nothing was stored. The log has the details.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes that come back in `warnings`: the event was stored, with a remark. */
export const WARNING_CODES = {
  ORDER_TOTAL_MISMATCH: 'The items do not add up to totalCost; the order was kept as sent.',
  STATUS_NOT_CHANGED:
    'The event would have moved the order status backwards (or out of DELIVERED/CANCELLED), so the status was kept.',
  INVALID_EMAIL: 'An email that is not an address was ignored; other identifiers named the shopper.',
  INVALID_PHONE: 'A phone number that is not valid was ignored; other identifiers named the shopper.',
  INVALID_CUSTOMER_ID: 'A customer id of the wrong kind was ignored; other identifiers named the shopper.',
  CART_NOT_CHANGED: 'The cart already reflects a newer event; this older one was recorded but did not change the cart.',
  CONTACTS_MERGED: 'The event named two contacts that were one person; they were merged and every event kept.',
  STALE_UPDATE:
    'The order (or the contact profile) already reflects a later change from its source (a webhook delivered late); this older one was recorded but changed nothing.',
  PRODUCT_WITHOUT_ID:
    'A Segment e-commerce product with none of product_id, sku or id was left out of the cart, order and catalog; the event was stored.',
  TIMESTAMP_REPLACED:
    'A Segment timestamp that is not a time (or one no calendar holds, such as 1e308) was replaced by the time the event arrived, as Segment does; the event was stored.',
  INVALID_SENT_AT:
    'A Segment sentAt that is not a time was ignored: the timestamp was kept as the client sent it, without clock-skew correction.',
  IDENTITY_CONFLICT:
    'The event named contacts with different customer ids: different people, so they were not merged; the event was filed on the one its customer id names (else the oldest).',
} as const;

export type WarningCode = keyof typeof WARNING_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }
}
