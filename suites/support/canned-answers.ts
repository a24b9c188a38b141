import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';

/** Per path: the status, headers and body a stand-in answers with, as a scenario recorded n8n answering. */
export type CannedAnswers = Record<string, [number, Record<string, string>, string]>;

/**
 * A local HTTP server for the suite, answering each path as given (404 and an empty body otherwise);
 * started before the suite's tests and closed after. Returns its base URL, once started.
 */
export function cannedServer(answers: CannedAnswers): () => string {
  let server: Server | undefined;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const [status, headers, body] = answers[req.url ?? ''] ?? [404, {}, ''];
      res.writeHead(status, headers).end(body);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => server?.close());
  return () => base;
}
