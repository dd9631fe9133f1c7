import net from 'node:net';

/**
 * A TCP proxy on loopback in front of a real server, so a test can cut a dependency
 * off (every connection dropped, new ones refused) and bring it back, without stopping
 * the shared PostgreSQL or Meilisearch the rest of the suite uses.
 */
export interface TcpProxy {
  port: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
  /** Holds every answer from the target this long before passing it on: a slow but alive dependency. */
  setDelay(ms: number): void;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let port = 0;
  let server: net.Server | undefined;
  let delayMs = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => sock.destroy());
        }
        client.pipe(upstream);
        // Answers go through a delay line; chunks keep their order because each is due no earlier than the last.
        let lastDue = 0;
        upstream.on('data', (chunk: Buffer) => {
          if (delayMs === 0 && lastDue <= Date.now()) {
            client.write(chunk);
            return;
          }
          lastDue = Math.max(lastDue, Date.now() + delayMs);
          setTimeout(() => client.writable && client.write(chunk), lastDue - Date.now());
        });
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const down = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  await listen();
  return {
    get port() {
      return port;
    },
    down,
    up: listen,
    close: down,
    setDelay(ms) {
      delayMs = ms;
    },
  };
}
