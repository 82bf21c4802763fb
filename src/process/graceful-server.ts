import http from 'node:http';
import net from 'node:net';
import { StartupError } from './startup-error';

/** While draining, idle keep-alive sockets are closed once no request has moved for this long. */
const QUIET_BEFORE_CLOSING_IDLE_MS = 1_000;

/**
 * The HTTP server of one serving process (the only process, or one worker), with what a
 * graceful stop needs around the app: once it no longer listens, every response carries
 * Connection: close, and idle keep-alive sockets are closed once the server has gone quiet.
 */
export class GracefulServer {
  // A client gets 10 s to send its headers and 30 s for the whole request (Node's defaults are
  // about a minute and five): a slow-loris connection cannot be held open for long.
  private readonly server = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000 });
  private isDraining = false;
  /** Set once the listening socket is closed: every response then closes its connection. */
  private closingConnections = false;
  /** When a request last started or finished, anywhere on this server. */
  private lastActivity = Date.now();

  /** instance: sent as the X-Instance header on every response (unset: no header). */
  constructor(private readonly options: { instance?: string } = {}) {}

  get draining(): boolean {
    return this.isDraining;
  }

  /**
   * Serves `app` on host:port and resolves with the port it got (PORT=0 picks one). A port that
   * is taken (or not ours to use) rejects with a StartupError whose message names PORT or HOST.
   */
  async listen(app: http.RequestListener, port: number, host: string): Promise<number> {
    // The headers below are set before the app sees the request: the app may answer at once
    // (/healthz does while draining), and a header set after that throws ERR_HTTP_HEADERS_SENT.
    this.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.lastActivity = Date.now();
      if (this.options.instance) res.setHeader('X-Instance', this.options.instance);
      if (this.closingConnections) res.setHeader('Connection', 'close');
      res.on('finish', () => (this.lastActivity = Date.now()));
      app(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, host, port));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  /**
   * Stops accepting connections and resolves once every connection has closed: in-flight
   * requests finish. `listenerClosed` resolves once the listening socket is really closed (at
   * once here; in a worker, once the primary says every worker has let go of it); from then on
   * every response carries Connection: close, so keep-alive clients let go and reconnect to a
   * socket that refuses them, not to one still queueing connections that nobody will accept.
   */
  async drain(listenerClosed: () => Promise<void> = () => Promise.resolve()): Promise<void> {
    if (this.isDraining) return;
    this.isDraining = true;
    // Stop accepting connections, but not with server.close(): on Node >= 19 that also destroys
    // every keep-alive socket that looks idle at this instant, including sockets whose next
    // request already sits unread in the kernel (a busy event loop has not read it yet), and
    // that client gets a reset instead of an answer. Instead every response carries
    // Connection: close, and idle sockets are closed only once the server has been quiet (no
    // request started or finished) for a moment: by then no client is in the middle of one.
    const closed = new Promise<void>((resolve) =>
      net.Server.prototype.close.call(this.server, () => resolve()),
    );
    await listenerClosed();
    this.closingConnections = true;
    const idleCloser = setInterval(() => {
      if (Date.now() - this.lastActivity >= QUIET_BEFORE_CLOSING_IDLE_MS) this.server.closeIdleConnections();
    }, 100);
    await closed;
    clearInterval(idleCloser);
  }

  /** The hard deadline's last resort: cuts every connection, answered or not. */
  closeAllConnections(): void {
    this.server.closeAllConnections();
  }
}

/** EADDRINUSE and friends as one sentence naming the variable to change; other errors as they are. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new StartupError(
        `port ${port} on ${host} is already in use. Set PORT to a free port (or stop the other server).`,
      );
    case 'EACCES':
      return new StartupError(
        `not allowed to listen on port ${port} on ${host}. Set PORT to a port above 1023.`,
      );
    case 'EADDRNOTAVAIL':
      return new StartupError(`${host} is not an address of this machine. Set HOST to one that is.`);
    default:
      return err;
  }
}
