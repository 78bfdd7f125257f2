/**
 * The hidden fields of a form on the tracking page (its form token, the shipment it is about),
 * read from the page's HTML as a browser submits them.
 */
export function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`the page has no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  return Object.fromEntries(
    [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
  );
}
