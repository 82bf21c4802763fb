import http from 'node:http';
import net from 'node:net';
import type { BadRequest } from './corpus';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  location: string | undefined;
  body: string;
}

/** A request that never got a complete HTTP answer: reset, refused, hung up or timed out. */
export class SocketError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Client-side guard only: an answer that takes longer than this counts as "hanging". */
export const HANG_MS = 15_000;

export function socketErrorCode(err: unknown): string {
  if (err instanceof SocketError) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(err);
}

/** One HTTP/1.1 request over node:http (so the agent, keep-alive and socket errors are ours to see). */
export function send(
  agent: http.Agent,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', agent, headers: options.headers });
    const timer = setTimeout(
      () => req.destroy(new SocketError('HANG', `no answer within ${HANG_MS} ms`)),
      HANG_MS,
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(new SocketError(socketErrorCode(err), err.message));
      });
      res.on('end', () => {
        clearTimeout(timer);
        if (!res.complete) return reject(new SocketError('INCOMPLETE', 'response cut short'));
        const location = res.headers.location;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          location,
          body: Buffer.concat(chunks).toString(),
        });
      });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err instanceof SocketError ? err : new SocketError(socketErrorCode(err), err.message));
    });
    req.end(options.body);
  });
}

/** A browser-like user: one cookie jar (one session), the latest CSRF token from the pages it saw. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(
    public baseUrl: string,
    readonly agent: http.Agent,
  ) {}

  /** Another tab of the same browser: same session, same token. */
  tab(): Browser {
    const other = new Browser(this.baseUrl, this.agent);
    for (const [name, value] of this.cookies) other.cookies.set(name, value);
    other.csrfToken = this.csrfToken;
    return other;
  }

  async request(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const all: Record<string, string> = { ...headers };
    if (this.cookies.size) all.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) all['content-type'] ??= 'application/x-www-form-urlencoded';
    const reply = await send(this.agent, this.baseUrl + path, { method, headers: all, body });
    for (const line of reply.headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(reply.body)?.[1];
    if (token) this.csrfToken = token;
    return reply;
  }

  get(path: string): Promise<Reply> {
    return this.request('GET', path);
  }

  /** A form post with this browser's CSRF token (unless the fields bring their own). */
  post(path: string, fields: Record<string, string> = {}): Promise<Reply> {
    const withToken = { _csrf: this.csrfToken ?? '', ...fields };
    return this.request('POST', path, new URLSearchParams(withToken).toString());
  }

  async register(email: string, password: string): Promise<void> {
    await this.get('/register');
    const reply = await this.post('/register', { email, password, verify: password });
    if (reply.status !== 303 || reply.location !== '/') throw new Error(`register answered ${reply.status}`);
    await this.get('/');
  }

  async login(email: string, password: string): Promise<void> {
    if (!this.csrfToken) await this.get('/login');
    const reply = await this.post('/login', { email, password });
    if (reply.status !== 303 || reply.location !== '/') throw new Error(`login answered ${reply.status}`);
    await this.get('/');
  }
}

export interface RawReply {
  status: number;
  head: string;
  body: string;
}

/** Sends bytes exactly as given (for requests no well-behaved client would send) and reads to close. */
export function rawRequest(port: number, request: Buffer | string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(HANG_MS, () => socket.destroy(new SocketError('HANG', 'no answer')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err) => reject(new SocketError(socketErrorCode(err), err.message)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split < 0 ? '' : text.slice(split + 4) });
    });
    // write(), not end(): Node's server drops a request whose client half-closes before the answer.
    socket.write(request);
  });
}

/** Resolves with the error code of a brand-new TCP connection attempt ('CONNECTED' if it was accepted). */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('CONNECTED');
    });
    socket.on('error', (err) => resolve(socketErrorCode(err)));
  });
}

/** Builds the exact bytes of a request for the corpus (Connection: close, so it reads to the end). */
export function rawBytes(
  port: number,
  cookie: string,
  r: Pick<BadRequest, 'method' | 'path' | 'body' | 'contentType' | 'headers' | 'contentLength' | 'anonymous'>,
): Buffer {
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body);
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    connection: 'close',
    accept: 'text/html',
    ...(r.anonymous ? {} : { cookie }),
    ...(r.body !== undefined && r.contentType !== null
      ? { 'content-type': r.contentType ?? 'application/x-www-form-urlencoded' }
      : {}),
    ...(r.body !== undefined ? { 'content-length': String(r.contentLength ?? body.length) } : {}),
    ...r.headers,
  };
  const head = `${r.method} ${r.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
