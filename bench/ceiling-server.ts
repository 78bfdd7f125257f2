import Fastify from 'fastify';

/**
 * The ceiling: bare Fastify on the same route and body, answering as Storewire does but storing
 * nothing. Storewire's ingest rate is reported as a fraction of this one, measured in the same run.
 */
const app = Fastify({ bodyLimit: 1024 * 1024 });
app.post('/v1/events', async (request, reply) => {
  const body = request.body as unknown;
  const count = Array.isArray(body)
    ? body.length
    : Array.isArray((body as { events?: unknown[] }).events)
      ? (body as { events: unknown[] }).events.length
      : 1;
  return reply.code(202).send({ accepted: count, duplicates: 0, rejected: [], warnings: [] });
});
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${address}\n`);
