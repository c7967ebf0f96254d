// The one place that creates the OpenSearch client, with basic auth, a token or SigV4 signing.
import { EventEmitter } from 'node:events';
// The official client's transport layer, wired as `Client` wires it but without `Client`, which
// adds the generated API surface (about 200 KB minified and 30 ms of module load at cold start,
// measured on esbuild bundles): the sink sends one request, `POST /_bulk`, through
// `transport.request` either way.
import ConnectionModule from '@opensearch-project/opensearch/lib/Connection.js';
import { ConnectionPool } from '@opensearch-project/opensearch/lib/pool/index.js';
import SerializerModule from '@opensearch-project/opensearch/lib/Serializer.js';
import TransportModule from '@opensearch-project/opensearch/lib/Transport.js';
import type { SearchAuth, SearchSinkConfig } from './config.js';

/**
 * These CommonJS modules set `module.exports` to the class itself, which is what a default import
 * gives at run time; their typings declare it as `export default` instead, i.e. one level down.
 */
const classOf = <T extends { default: unknown }>(module: T) => module as unknown as T['default'];
const Connection = classOf(ConnectionModule);
const Serializer = classOf(SerializerModule);
const Transport = classOf(TransportModule);

/** What the sink and the template script use of the client: its transport, and closing it. */
export interface SearchClient {
  readonly transport: Pick<InstanceType<typeof Transport>, 'request'>;
  close(): Promise<void>;
}

export interface SearchClientOptions {
  /** Retries of the client itself; the sink keeps 0 because its delivery loop retries. */
  maxRetries?: number;
  /** The client's own timeout of one request, in milliseconds. */
  requestTimeout?: number;
}

/**
 * A client for one endpoint (a domain, a load balancer or a single node), wired as `Client` wires
 * it. The delivery loop retries, and only the records that failed, so the client never resends a
 * request itself; the loop's AbortSignal times each request out, so the client's own timeout is
 * only a backstop (the longest a Lambda can run).
 */
export async function createSearchClient(config: SearchSinkConfig, options: SearchClientOptions = {}): Promise<SearchClient> {
  const wiring = await authWiring(config.auth);
  const events = new EventEmitter();
  const emit = events.emit.bind(events);
  const pool = new ConnectionPool({
    Connection: wiring.Connection,
    emit,
    ...(wiring.auth ? { auth: wiring.auth } : {}),
    // One endpoint: never ping it back to life in the background nor ask it for other nodes.
    resurrectStrategy: 'none',
    sniffEnabled: false,
  });
  pool.addConnection(config.node.href);
  const transport = new wiring.Transport({
    emit,
    connectionPool: pool,
    serializer: new Serializer(),
    maxRetries: options.maxRetries ?? 0,
    requestTimeout: options.requestTimeout ?? 900_000,
    sniffEndpoint: '_nodes/_all/http',
    // The sink compresses its bulk bodies itself (sendBulk); other requests are small.
    headers: wiring.headers,
  });
  return {
    transport,
    close: () => new Promise<void>((resolve) => pool.empty(() => resolve())),
  };
}

interface AuthWiring {
  Transport: typeof Transport;
  Connection: typeof Connection;
  auth?: { username: string; password: string };
  headers: Record<string, string>;
}

async function authWiring(auth: SearchAuth): Promise<AuthWiring> {
  const plain = { Transport, Connection, headers: {} };
  switch (auth.kind) {
    case 'none':
      return plain;
    case 'basic':
      return { ...plain, auth: { username: auth.username, password: auth.password } };
    case 'header':
      return { ...plain, headers: { authorization: auth.authorization } };
    case 'sigv4': {
      // Loaded only when SigV4 is configured. The `aws-v3` entry point is the same signer as `aws`
      // without the fallback to the v2 SDK, which a bundler would otherwise try to include.
      const [{ AwsSigv4Signer }, { defaultProvider }] = await Promise.all([
        import('@opensearch-project/opensearch/aws-v3'),
        import('@aws-sdk/credential-provider-node'),
      ]);
      // The default chain: in Lambda, the function role's credentials from the environment.
      // It caches them and refreshes them before they expire.
      const credentials = defaultProvider();
      const signer = AwsSigv4Signer({ region: auth.region, service: auth.service, getCredentials: () => credentials() });
      return { Transport: signer.Transport, Connection: signer.Connection, headers: {} };
    }
  }
}
