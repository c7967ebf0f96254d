// A free loopback port, for a service whose address others must know before it starts.
import { once } from 'node:events';
import net from 'node:net';

/**
 * Asks the system for a free port on 127.0.0.1 and releases it. Another process could take it
 * before it is listened on again; on a developer machine and in CI that window is too short to matter.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
