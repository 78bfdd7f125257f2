import { ApiError } from '../../api/client.js';
import type { OrderDetail } from '../../api/types.js';
import { useStore } from '../../frame/store-context.js';
import { Outcome, useAction } from '../../ui/form.js';

/**
 * The order's WhatsApp updates, switched as the tracking page's box does (seed 004's
 * POST /v1/orders/{orderId}/whatsapp-subscription): it sets WhatsApp consent of the contact
 * holding both the order's phone and its email.
 */
export function WhatsAppUpdates({ order, onChanged }: { order: OrderDetail; onChanged: () => void }) {
  const { api, store } = useStore();
  const action = useAction();
  const subscribed = order.isWhatsAppEnabledForNotifications === '1';
  const phone = order.shippingAddress?.contactPhone;
  const email = order.shippingAddress?.email;
  const change = async () => {
    const done = await action.run(
      async () => {
        try {
          return await api.send('POST', `/v1/orders/${encodeURIComponent(order.orderId)}/whatsapp-subscription`, {
            contactPhone: phone,
            email,
            accountId: store.id,
            ...(order.shippingAddress?.customerName ? { customerName: order.shippingAddress.customerName } : {}),
            whatsAppStatus: subscribed ? 'INACTIVE' : 'ACTIVE',
          });
        } catch (failure) {
          if (failure instanceof ApiError && failure.status === 404)
            throw new Error(`No contact holds both ${phone} and ${email}: set their consent on the contact’s page.`);
          throw failure;
        }
      },
      subscribed ? 'WhatsApp updates are off for this shopper.' : 'WhatsApp updates are on for this shopper.',
    );
    if (done) onChanged();
  };
  return (
    <div>
      <dt>WhatsApp updates</dt>
      <dd>
        {subscribed ? 'Subscribed' : 'Not subscribed'}
        {phone && email ? (
          <>
            {' '}
            <button type="button" class="button button-quiet" disabled={action.busy} onClick={change}>
              {subscribed ? 'Turn off' : 'Turn on'}
              <span class="sr-only"> WhatsApp updates</span>
            </button>
          </>
        ) : null}
        <Outcome error={action.error} done={action.done} />
      </dd>
    </div>
  );
}
