import type { OrderItem } from '../../api/types.js';
import { StatusBadge } from '../../ui/badge.js';
import { formatStoreLocal, humanize } from '../../ui/format.js';

export interface Shipment {
  shipmentId: string;
  items: OrderItem[];
  timeline: OrderItem['forwardTrackingTimeline'];
  latestStatus: string | null;
  ndr: OrderItem['ndrDetails'];
  resolution: Record<string, unknown> | undefined;
}

/** Seed 004 repeats each shipment's timeline on every item it holds: one shipment, once. */
export function shipmentsOf(items: OrderItem[]): Shipment[] {
  const byId = new Map<string, Shipment>();
  for (const item of items) {
    if (!item.shipmentId) continue;
    const known = byId.get(item.shipmentId);
    if (known) known.items.push(item);
    else
      byId.set(item.shipmentId, {
        shipmentId: item.shipmentId,
        items: [item],
        timeline: item.forwardTrackingTimeline,
        latestStatus: item.latestStatus,
        ndr: item.ndrDetails,
        resolution: item.ndrResolutionDetails,
      });
  }
  return [...byId.values()];
}

function resolutionText(resolution: Record<string, unknown>, ndr: OrderItem['ndrDetails']): string {
  const code = String(resolution.resolutionCode ?? resolution.code ?? '');
  const offered = ndr.resolutions?.find((r) => r.resolutionCode === code);
  const action = resolution.action ?? offered?.action;
  return [action, code ? `(${code})` : null].filter(Boolean).join(' ');
}

export function ShipmentPanel({ shipment }: { shipment: Shipment }) {
  const { timeline, ndr, resolution } = shipment;
  const titleId = `shipment-${shipment.shipmentId}`;
  return (
    <section class="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>
        Shipment {shipment.shipmentId} <StatusBadge status={shipment.latestStatus} />
      </h2>
      <dl class="facts facts-inline">
        <div>
          <dt>Courier</dt>
          <dd>{timeline.courierName ?? '—'}</dd>
        </div>
        <div>
          <dt>Tracking id</dt>
          <dd class="break">{timeline.trackingID ?? '—'}</dd>
        </div>
        <div>
          <dt>Items</dt>
          <dd>{shipment.items.map((item) => item.productName).join(', ')}</dd>
        </div>
      </dl>
      {shipment.latestStatus === 'failed_delivery' && ndr.resolutions?.length ? (
        <div class="notice notice-warn">
          <p>
            <strong>Delivery failed</strong>
            {ndr.reason ? `: ${ndr.reason}` : ''}. The shopper may choose:
          </p>
          <ul>
            {ndr.resolutions.map((r) => (
              <li key={r.resolutionCode}>
                {r.action} <span class="muted small">({r.resolutionCode})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {resolution && Object.keys(resolution).length > 0 ? (
        <p class="notice notice-good">
          <strong>The shopper chose:</strong> {resolutionText(resolution, ndr)}
        </p>
      ) : null}
      <h3>Status log</h3>
      <ol class="status-log">
        {[...timeline.statusLog].reverse().map((entry, index) => (
          <li key={`${entry.status}:${entry.updatedAt}:${index}`} class="status-log-entry">
            <span class="status-log-status">{humanize(entry.status)}</span>
            <span class="muted small">{formatStoreLocal(entry.updatedAt)}</span>
            {entry.remark || entry.location ? (
              <span class="small">{[entry.remark, entry.location].filter(Boolean).join(' · ')}</span>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
