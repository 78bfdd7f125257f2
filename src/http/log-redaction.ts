import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/**
 * Secrets never reach the log. Request lines (LOG_LEVEL=debug) and error lines carry the URL,
 * and URLs can hold secrets: the ingest token is a path segment (/v1/ingest/<token>/events),
 * Meta's subscription check sends hub.verify_token in the query. Headers and bodies, where the
 * other secrets travel, are never logged.
 */
const REDACTED = '[redacted]';
/** Query parameters whose value is a secret, by name. */
const SECRET_PARAM = /token|secret|key|password|signature|hmac/i;
/** A secret Storewire made (newSecret: "sw_<kind>_<random>"), wherever it sits in a path. */
const STOREWIRE_SECRET = /^sw_[a-z]+_[A-Za-z0-9_-]{16,}$/;

export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
  const segments = path.split('/');
  const redactedPath = segments
    .map((segment, i) =>
      (segments[i - 1] === 'ingest' && segments[i - 2] === 'v1') || STOREWIRE_SECRET.test(segment) ? REDACTED : segment,
    )
    .join('/');
  if (at === -1) return redactedPath;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed name is kept as it came
      }
      return eq !== -1 && SECRET_PARAM.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${redactedPath}?${query}`;
}

/** The request as request lines show it (Fastify's fields), its URL redacted. */
function request(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** A logger whose request lines carry redacted URLs; Fastify takes its serializers over its own. */
export function withRedactedRequests(logger: Logger): Logger {
  return logger.child({}, { serializers: { req: request } });
}
