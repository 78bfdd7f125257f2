import type { ChannelAccount, ParsedWebhook } from '../channels/channel.js';
import type { ChannelName } from '../domain/messages.js';
import { accountsByExternalId, allAccountsOfChannel, getChannelAccount } from '../storage/channel-accounts.js';
import { findMessagesByProviderIds } from '../storage/messages.js';
import type { RouteDeps } from './route-deps.js';

/**
 * Who signed a Meta webhook delivery:
 * - `signed`: the connected accounts the delivery names whose app secret verifies its
 *   X-Hub-Signature-256 — each entry is applied only to the store holding its number or page,
 *   and only if that account is here (one Meta app often serves several stores' numbers, so
 *   one secret may verify for several accounts; each entry still goes to its own);
 * - `unnamed`: the delivery names no connected account, but is signed with the app secret of
 *   one (a number not connected here, `{"entry": []}`): answered 200 and ignored, since Meta
 *   retries anything else for days;
 * - `refused`: no signature, or none that verifies for what it names: 401, nothing applied.
 */
export type Signers = { kind: 'signed'; accounts: ChannelAccount[] } | { kind: 'unnamed' } | { kind: 'refused' };

export async function webhookSigners(
  deps: RouteDeps,
  channel: ChannelName,
  parsed: ParsedWebhook | null,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<Signers> {
  if (!signature) return { kind: 'refused' };
  const verifies = (account: ChannelAccount) =>
    deps.messaging.channels[channel].verifySignature(account, rawBody, signature);
  const named = parsed ? await namedAccounts(deps, channel, parsed) : [];
  if (named.length > 0) {
    const accounts = named.filter(verifies);
    return accounts.length > 0 ? { kind: 'signed', accounts } : { kind: 'refused' };
  }
  // Nothing named: genuine if any connected account's app secret signed it. Accounts of one
  // Meta app share a secret, so each distinct secret is tried once.
  const bySecret = new Map<string, ChannelAccount>();
  for (const account of await allAccountsOfChannel(deps.storage.db, channel)) {
    if (account.secrets.appSecret) bySecret.set(account.secrets.appSecret, account);
  }
  return [...bySecret.values()].some(verifies) ? { kind: 'unnamed' } : { kind: 'refused' };
}

/**
 * The connected accounts a delivery names: those holding its entries' numbers or pages; for
 * On-Premises statuses, which name none, those of the stores whose messages they report on.
 */
async function namedAccounts(deps: RouteDeps, channel: ChannelName, parsed: ParsedWebhook): Promise<ChannelAccount[]> {
  const ids = new Set(parsed.accountExternalIds);
  for (const item of [
    ...parsed.statuses,
    ...parsed.inbound,
    ...(parsed.preferences ?? []),
    ...(parsed.accountErrors ?? []),
  ])
    if (item.accountExternalId) ids.add(item.accountExternalId);
  const named = await accountsByExternalId(deps.storage.db, channel, [...ids]);
  const unnamed = parsed.statuses.filter((s) => !s.accountExternalId).map((s) => s.providerMessageId);
  if (unnamed.length === 0) return named;
  const messages = await findMessagesByProviderIds(deps.storage.db, channel, unnamed);
  for (const storeId of new Set([...messages.values()].map((m) => m.storeId))) {
    const account = await getChannelAccount(deps.storage.db, storeId, channel);
    if (account && account.status !== 'conflict' && !named.some((a) => a.storeId === storeId)) named.push(account);
  }
  return named;
}
