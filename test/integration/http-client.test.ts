// The HTTP client of every HTTP sink against a loopback server that answers early.
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { sendHttp } from '../../forwarder/src/sinks/shared/http-client.js';
import { createHttpSink } from '../../forwarder/src/sinks/shared/http-sink.js';
import { httpDefaultLimits } from '../../forwarder/src/sinks/http/config.js';
import { preparedRecord } from '../helpers/records.js';

describe('sendHttp', () => {
  it('stops sending an uncompressed body once the store has answered, so no view of the output is written after its release', async () => {
    // A bare TCP server: it answers 413 on the first bytes of a request, keeps the connection
    // open, and only then reads what the client still sends, until the client closes.
    let received = 0;
    let done!: () => void;
    const closed = new Promise<void>((resolve) => (done = resolve));
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.pause();
        socket.write('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 9\r\nConnection: keep-alive\r\n\r\ntoo large');
        setTimeout(() => {
          socket.on('data', (chunk: Buffer) => void (received += chunk.length));
          socket.resume();
        }, 300);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => done());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    // Two 16 MiB parts: far more than the kernel's socket buffers hold.
    const parts = [Buffer.alloc(16 * 1024 * 1024, 0x61), Buffer.alloc(16 * 1024 * 1024, 0x62)];
    try {
      const answer = await sendHttp({ url: new URL(`http://127.0.0.1:${port}/bulk`), headers: {}, body: parts, gzip: false }, AbortSignal.timeout(10_000));
      const ended = await Promise.race([closed.then(() => true), delay(5_000).then(() => false)]);

      expect(answer.status).toBe(413);
      expect(ended).toBe(true);
      // What the client had written before the answer still arrives; nothing after it.
      expect(received).toBeLessThan(parts[0]!.length);
    } finally {
      server.close();
    }
  });
});

describe('the HTTP sink skeleton', () => {
  it('fails, for good and to be isolated, the records of a batch its encoder cannot write, and sends nothing', async () => {
    let requests = 0;
    const sink = createHttpSink({
      name: 'test',
      contentType: 'application/json',
      url: new URL('http://127.0.0.1:9/never'),
      headers: {},
      gzip: false,
      limits: httpDefaultLimits,
      encode: () => {
        requests += 1;
        throw new RangeError('Maximum call stack size exceeded');
      },
      classify: () => ({ failures: [], answer: 'unreachable' }),
    });

    const outcome = await sink.send([preparedRecord('a'), preparedRecord('b')], AbortSignal.timeout(1_000));

    expect(requests).toBe(1);
    expect(outcome).toMatchObject({ isolate: true, answer: 'the test encoding failed: Maximum call stack size exceeded' });
    expect(outcome.failures).toEqual([
      { index: 0, retryable: false, reason: 'the test encoding failed: Maximum call stack size exceeded' },
      { index: 1, retryable: false, reason: 'the test encoding failed: Maximum call stack size exceeded' },
    ]);
  });
});
