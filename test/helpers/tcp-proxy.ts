import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a database, that a test can cut, freeze and bring back:
 * the database "goes down" for the app behind it and for nobody else on the machine.
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream?: net.Socket }>();
  private frozen = false;
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.listen(0);
    return proxy;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: net.Socket): void {
    const pair: { client: net.Socket; upstream?: net.Socket } = { client };
    this.pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    });
    if (this.frozen) return; // accepted, never answered: a host gone silent
    const upstream = net.connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** The local ports of the proxy's connections to the database (its pg_stat_activity client_port). */
  upstreamPorts(): number[] {
    return [...this.pairs].flatMap((pair) => (pair.upstream?.localPort ? [pair.upstream.localPort] : []));
  }

  /** The database is gone: no more connections are accepted, and every open one is reset. */
  async cut(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const pair of this.pairs) {
        pair.client.resetAndDestroy();
        pair.upstream?.destroy();
      }
    });
  }

  /** The database's host goes silent: connections stay open and accepted, nothing gets through. */
  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe();
      upstream?.unpipe();
      client.pause();
      upstream?.pause();
    }
  }

  /** The database is back, on the same address: frozen connections are reset, new ones go through. */
  async restore(): Promise<void> {
    this.frozen = false;
    for (const pair of this.pairs) {
      pair.client.resetAndDestroy();
      pair.upstream?.destroy();
    }
    if (!this.server.listening) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
