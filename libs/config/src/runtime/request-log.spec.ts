import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { requestForLog } from './service-runtime.module.js';

describe('request log lines', () => {
  it('keep query strings (query codes, purposes) and headers (tokens) out', async () => {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        written += chunk.toString();
        done();
      },
    });
    const log = pinoHttp({ logger: pino(sink), serializers: { req: requestForLog } });
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      log(req, res);
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await fetch(`http://127.0.0.1:${port}/public/progress?caseNumber=150802-2026-000123&queryCode=483920`, {
      headers: { authorization: 'Bearer secret-token-value', cookie: 'sid=abc' },
    });
    await fetch(`http://127.0.0.1:${port}/cases/c-1?purpose=${encodeURIComponent('核查低保申请')}`);
    await new Promise<void>((r) => server.close(() => r()));
    const lines = written
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { req: { url: string; method: string } });
    expect(lines.map((l) => l.req)).toEqual([
      expect.objectContaining({ method: 'GET', url: '/public/progress?…' }),
      expect.objectContaining({ method: 'GET', url: '/cases/c-1?…' }),
    ]);
    for (const secret of ['483920', '150802-2026-000123', 'secret-token-value', 'sid=abc', 'purpose', '%E6'])
      expect(written).not.toContain(secret);
  });
});
