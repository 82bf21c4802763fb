import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { expect, it } from 'vitest';
import { requestLog } from '../../src/http/request-log';

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
  app.get('/slow', (_req, res) => void setTimeout(() => res.headersSent || res.send('late'), 300));
  return { app, lines };
}

it('writes one line per request: id, method, URL, status and time; never a header', async () => {
  const { app, lines } = loggedApp();
  await request(app).get('/tasks?filter=open').set('Cookie', 'gid.sid=secret-cookie');
  await expect.poll(() => lines.length).toBe(2);
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
  await expect.poll(() => lines.length).toBe(1);
  expect(lines).toEqual([expect.objectContaining({ level: 50, url: '/boom', status: 500, reqId: 2 })]);
});

it('at warn, an ordinary request writes nothing', async () => {
  const { app, lines } = loggedApp('warn');
  await request(app).get('/tasks');
  await request(app).get('/boom'); // logged at error: the log is written, just not the ordinary line
  await expect.poll(() => lines.length).toBe(1);
  expect(lines).toEqual([expect.objectContaining({ level: 50, url: '/boom' })]);
});

it('logs a request whose client went away before the answer as aborted, without a status', async () => {
  const { app, lines } = loggedApp();
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const client = http.get(`http://127.0.0.1:${port}/slow`);
  client.on('error', () => undefined);
  setTimeout(() => client.destroy(), 50);
  await expect.poll(() => lines.length).toBe(1);
  expect(lines[0]).toMatchObject({ url: '/slow', aborted: true });
  expect(lines[0]).not.toHaveProperty('status');
  server.close();
});
