/**
 * Background work limited to one shopper of one store. `storewire demo` runs the workers on a
 * clock hours ahead of real time; unscoped, they would take every store's due work early (send
 * tomorrow's reminders now, recover sends still in flight in the server). Scoped, they touch
 * only the demo shopper's runs and messages.
 */
export interface WorkScope {
  storeId: string;
  contactId: string;
}
