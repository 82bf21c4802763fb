import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { expect, it } from 'vitest';
import { requestLog } from '../../src/middleware/request-log';

/** An app behind the request log, and the log lines it writes. */
function loggedApp(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const app = express();
  app.use(requestLog(pino({ level }, sink), (req) => req.path === '/healthz'));
  app.get('/healthz', (_req, res) => void res.send('ok'));
  app.get('/tasks', (req, res) => {
    req.log.info({ event: 'listed' }, 'listed tasks');
    res.send('list');
  });
  app.get('/boom', (_req, res) => void res.status(500).send('no'));
  return { app, lines };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

it('writes one line per request: id, method, URL, status and time; never a header', async () => {
  const { app, lines } = loggedApp();
  await request(app).get('/tasks?filter=open').set('Cookie', 'gid.sid=secret-cookie');
  await settle();
  const [routeLine, requestLine] = lines;
  expect(routeLine).toMatchObject({ level: 30, msg: 'listed tasks', event: 'listed', reqId: 1 });
  expect(requestLine).toMatchObject({
    level: 30,
    msg: 'request',
    reqId: 1,
    method: 'GET',
    url: '/tasks?filter=open',
    status: 200,
  });
  expect(typeof requestLine!.ms).toBe('number');
  expect(JSON.stringify(lines)).not.toContain('secret-cookie');
});

it('logs a 5xx at error level, leaves /healthz out, and numbers requests', async () => {
  const { app, lines } = loggedApp();
  await request(app).get('/healthz');
  await request(app).get('/boom');
  await settle();
  expect(lines).toEqual([expect.objectContaining({ level: 50, url: '/boom', status: 500, reqId: 2 })]);
});

it('at warn, an ordinary request writes nothing', async () => {
  const { app, lines } = loggedApp('warn');
  await request(app).get('/tasks');
  await settle();
  expect(lines).toEqual([]);
});
