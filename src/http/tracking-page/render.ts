import type { ShipmentView, TrackingView } from './view.js';

/**
 * The tracking page as HTML: server-rendered, no JavaScript, one small inline stylesheet, images
 * sized and loaded lazily, so it is quick on a cheap phone over a slow network. Every value from
 * the store or the shopper is escaped; links and images are http(s) only (view.ts).
 */

const esc = (value: unknown) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Black or white text on the accent, whichever reads better (WCAG relative luminance). */
function textOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? '#000' : '#fff';
}

const STYLE = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f7f9}
header,main{max-width:40rem;margin:0 auto;padding:1rem}header{display:flex;align-items:center;gap:.75rem;border-bottom:3px solid var(--accent)}
header img{max-height:48px;max-width:12rem;width:auto}h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;margin:0 0 .5rem;color:var(--accent-text)}
section{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:1rem;margin:1rem 0}ul,ol{padding:0;margin:0;list-style:none}
.item{display:flex;gap:.75rem;padding:.5rem 0;border-top:1px solid #eaeef2}.item:first-child{border-top:0}.item img{width:64px;height:64px;object-fit:cover;border-radius:4px;background:#eaeef2}
.muted{color:#57606a}.log li{padding:.35rem 0 .35rem 1rem;border-left:3px solid #d8dee4}.log li:first-child{border-left-color:var(--accent)}
.notice{padding:.75rem 1rem;border-radius:8px;background:#dafbe1}.notice.error{background:#ffebe9}fieldset{border:0;padding:0;margin:0}
legend{font-weight:600;margin-bottom:.5rem}label{display:flex;gap:.5rem;align-items:flex-start;padding:.4rem 0}input[type=radio],input[type=checkbox]{flex:none;width:1.25rem;height:1.25rem;margin-top:.15rem;accent-color:var(--accent)}
button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:6px;background:var(--accent);color:var(--on-accent);min-height:44px;margin-top:.5rem}
a{color:var(--accent-text)}button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #0969da;outline-offset:2px}`;

function page(title: string, body: string, accent: string | null): string {
  const colour = accent && /^#[0-9a-fA-F]{6}$/.test(accent) ? accent : '#0f766e';
  // Text in the accent colour needs contrast on white: a light accent writes its text in the default ink.
  const accentText = textOn(colour) === '#fff' ? colour : '#1f2328';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>:root{--accent:${colour};--on-accent:${textOn(colour)};--accent-text:${accentText}}${STYLE}</style></head><body>${body}</body></html>`;
}

function shipmentSection(view: TrackingView, shipment: ShipmentView, index: number): string {
  const id = `shipment-${index}`;
  const facts = [
    shipment.courier ? `Courier: <strong>${esc(shipment.courier)}</strong>` : '',
    shipment.trackingId ? `Tracking ID: <strong>${esc(shipment.trackingId)}</strong>` : '',
  ].filter(Boolean);
  const log = shipment.log
    .map(
      (entry) =>
        `<li><strong>${esc(entry.status)}</strong> <time datetime="${entry.at.iso}" class="muted">${esc(entry.at.text)}</time>${
          entry.remark || entry.location
            ? `<br><span class="muted">${esc([entry.remark, entry.location].filter(Boolean).join(' · '))}</span>`
            : ''
        }</li>`,
    )
    .join('');
  let ndr = '';
  if (shipment.ndr?.chosen)
    ndr = `<p role="status">Delivery could not be completed. You asked: <strong>${esc(shipment.ndr.chosen.action)}</strong> <span class="muted">(${esc(shipment.ndr.chosen.at.text)})</span></p>`;
  else if (shipment.ndr) {
    const options = shipment.ndr.resolutions
      .map(
        (r, i) =>
          `<label for="${id}-r${i}"><input type="radio" id="${id}-r${i}" name="resolution" value="${esc(r.code)}" required> <span>${esc(r.action)}</span></label>`,
      )
      .join('');
    ndr = `<form method="post" action="/t/${esc(view.token)}/delivery"><fieldset><legend>We could not deliver this shipment${
      shipment.ndr.reason ? ` (${esc(shipment.ndr.reason)})` : ''
    }. What would you like us to do?</legend>${options}</fieldset><input type="hidden" name="shipment" value="${esc(shipment.shipmentId)}"><input type="hidden" name="form_token" value="${esc(shipment.ndr.formToken)}"><button type="submit">Send my choice</button></form>`;
  }
  return `<section aria-labelledby="${id}-h"><h2 id="${id}-h">Shipment: ${esc(shipment.status)}</h2>${
    facts.length ? `<p>${facts.join(' · ')}</p>` : ''
  }${ndr}${log ? `<h3 class="muted" style="font-size:1rem">Status history</h3><ol class="log">${log}</ol>` : ''}</section>`;
}

function whatsappSection(view: TrackingView): string {
  const wa = view.whatsapp;
  if (!wa) return '';
  const body = wa.subscribed
    ? `<p role="status">You get updates about your orders on WhatsApp at ${esc(wa.phone)}.</p>`
    : `<form method="post" action="/t/${esc(view.token)}/whatsapp"><label for="wa-optin"><input type="checkbox" id="wa-optin" name="subscribe" value="1" required> <span>Send me updates on WhatsApp</span></label><input type="hidden" name="form_token" value="${esc(wa.formToken)}"><button type="submit">Save</button></form>`;
  return `<section aria-labelledby="wa-h"><h2 id="wa-h">WhatsApp updates</h2>${body}</section>`;
}

export function renderTrackingPage(view: TrackingView): string {
  const header = `<header>${
    view.logoUrl
      ? `<img src="${esc(view.logoUrl)}" alt="${esc(view.storeName)}" height="48">`
      : `<strong>${esc(view.storeName)}</strong>`
  }</header>`;
  const notice = view.notice
    ? `<p class="notice${view.notice.ok ? '' : ' error'}" role="${view.notice.ok ? 'status' : 'alert'}">${esc(view.notice.text)}</p>`
    : '';
  const items = view.items
    .map(
      (item) =>
        `<li class="item">${
          item.imageUrl
            ? `<img src="${esc(item.imageUrl)}" alt="" width="64" height="64" loading="lazy" decoding="async">`
            : ''
        }<div><div>${item.url ? `<a href="${esc(item.url)}" rel="noreferrer noopener">${esc(item.name)}</a>` : esc(item.name)}</div><div class="muted">Quantity ${esc(item.quantity)}${
          item.unitPrice ? ` × ${esc(item.unitPrice)}` : ''
        }${item.lineTotal ? ` = <strong>${esc(item.lineTotal)}</strong>` : ''}</div></div></li>`,
    )
    .join('');
  const invoices = view.invoiceUrls
    .map(
      (url, i) =>
        `<p><a href="${esc(url)}" rel="noreferrer noopener">Download the invoice${view.invoiceUrls.length > 1 ? ` ${i + 1}` : ''}</a></p>`,
    )
    .join('');
  const main = `<main><h1>Order ${esc(view.orderNumber)}</h1><p>${esc(view.status)} · placed <time datetime="${view.placedAt.iso}">${esc(view.placedAt.text)}</time>${
    view.total ? ` · total <strong>${esc(view.total)}</strong>` : ''
  }</p>${notice}${view.shipments.map((s, i) => shipmentSection(view, s, i)).join('')}<section aria-labelledby="items-h"><h2 id="items-h">Items</h2><ul>${items}</ul>${invoices}</section>${whatsappSection(view)}</main>`;
  return page(`Order ${view.orderNumber} · ${view.storeName}`, header + main, view.accentColor);
}

/** The answer to a link that is not (or no longer) a tracking page: nothing about any store or order. */
export function renderNotFoundPage(): string {
  return page(
    'Page not found',
    '<main><h1>Page not found</h1><p>This link is not valid. Check the link in your message, or ask the shop for a new one.</p></main>',
    null,
  );
}

/** A form that cannot be taken (expired, from elsewhere, a choice not offered): what to do. */
export function renderFormProblemPage(token: string, text: string): string {
  return page(
    'Please try again',
    `<main><h1>Please try again</h1><p role="alert">${esc(text)}</p><p><a href="/t/${esc(token)}">Back to your order</a></p></main>`,
    null,
  );
}
