/**
 * The event a failed-delivery choice made on the hosted tracking page is recorded as. Journeys
 * waiting for a shopper's answer to a failed delivery (wait_for with recordReply "shipment") end
 * on it as on a WhatsApp button tap.
 */
export const NDR_CHOICE_EVENT_NAME = 'ndr_resolution_chosen';
