/** What a contact is called in the dashboard: the name, else the phone, the email, the customer id, the id. */
export function contactName(contact: {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  customerId: string | null;
}): string {
  return contact.name || contact.phone || contact.email || contact.customerId || contact.id;
}
