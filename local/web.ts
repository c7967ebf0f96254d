// The web client (web/) for the offline stack: built with esbuild into `<stateDir>/web/` at every
// start (under a second), then served on 127.0.0.1 with `/config.json` made from the running
// stack's endpoints, so the page talks to this stack's user pool, identity pool and API.
import { readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { once } from 'node:events';
import { build, type Plugin } from 'esbuild';
import type { WebConfig } from '../web/src/config.js';
import type { EndpointsFile } from './endpoints.js';

const HOST = '127.0.0.1';

export interface WebOptions {
  /** The repository root (the app is `<root>/web`). */
  root: string;
  stateDir: string;
  /** The running stack's endpoints, which config.json passes on to the page. */
  endpoints: EndpointsFile;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface RunningWeb {
  /** `http://127.0.0.1:<port>`: open it in a browser. */
  endpoint: string;
  close(): Promise<void>;
}

/** What the page reads from `/config.json`: the stack's ids and the endpoints it calls. */
export function webConfig(stack: EndpointsFile): WebConfig {
  return {
    region: stack.region,
    userPoolId: stack.userPoolId,
    userPoolClientId: stack.userPoolClientId,
    identityPoolId: stack.identityPoolId,
    endpoints: {
      api: stack.endpoints.api,
      cognitoIdentityProvider: stack.endpoints.cognitoIdentityProvider,
      cognitoIdentity: stack.endpoints.cognitoIdentity,
    },
    localConfirmationCode: stack.confirmationCode,
  };
}

const staticFiles = ['index.html', 'styles.css'] as const;

/** Bundles web/ for browsers (ES2022, minified, with a source map) into `outDir`; returns the files written. */
export async function buildWeb(options: { root: string; outDir: string }): Promise<string[]> {
  const root = path.resolve(options.root);
  const outDir = path.resolve(options.outDir);
  const webDir = path.join(root, 'web');
  await mkdir(outDir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: [path.join(webDir, 'src', 'main.ts')],
    outfile: path.join(outDir, 'app.js'),
    tsconfig: path.join(webDir, 'tsconfig.json'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    // The SDK's packages point browsers at their browser builds through `browser` fields.
    mainFields: ['browser', 'module', 'main'],
    plugins: [browserEntries(['@aws-sdk/credential-providers'], root)],
    logLevel: 'silent',
  });
  await Promise.all(staticFiles.map((name) => copyFile(path.join(webDir, name), path.join(outDir, name))));
  return ['app.js', 'app.js.map', ...staticFiles];
}

/**
 * A package whose `browser` field maps its `module` entry written without the extension
 * (`"./dist-es/index": "./dist-es/index.browser"`): esbuild compares the mapping with the entry's
 * full file name, misses it and bundles the Node.js entry (with node: imports). This applies it.
 */
function browserEntries(packages: readonly string[], root: string): Plugin {
  const require = createRequire(path.join(root, 'package.json'));
  return {
    name: 'browser-entries',
    setup(builder) {
      for (const name of packages) {
        const manifestFile = require.resolve(`${name}/package.json`);
        const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { module?: string; browser?: Record<string, string> };
        const entry = manifest.module && `./${path.posix.normalize(manifest.module).replace(/\.js$/, '')}`;
        const mapped = entry ? manifest.browser?.[entry] : undefined;
        if (!mapped) throw new Error(`${name} no longer maps its module entry in its browser field: check the web client's build`);
        const target = path.join(path.dirname(manifestFile), `${mapped}.js`);
        builder.onResolve({ filter: new RegExp(`^${name.replace(/[/]/g, '\\/')}$`) }, () => ({ path: target }));
      }
    },
  };
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

interface Asset {
  body: Buffer;
  headers: Record<string, string>;
}

/** Builds the app and serves it; config.json is never cached, since the stack's ports change. */
export async function startWeb(options: WebOptions): Promise<RunningWeb> {
  const outDir = path.join(path.resolve(options.stateDir), 'web');
  const files = await buildWeb({ root: options.root, outDir });
  const origins = [options.endpoints.endpoints.cognitoIdentityProvider, options.endpoints.endpoints.cognitoIdentity, options.endpoints.endpoints.api].map(
    (url) => new URL(url).origin,
  );
  // The page may load its own files only, and call nothing but this stack.
  const csp = `default-src 'self'; connect-src 'self' ${[...new Set(origins)].join(' ')}; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
  const assets = new Map<string, Asset>();
  for (const name of files) {
    const extra: Record<string, string> = name.endsWith('.html') ? { 'Content-Security-Policy': csp } : {};
    assets.set(`/${name}`, { body: readFileSync(path.join(outDir, name)), headers: { 'Content-Type': contentTypes[path.extname(name)]!, 'Cache-Control': 'no-cache', ...extra } });
  }
  assets.set('/', assets.get('/index.html')!);
  assets.set('/config.json', {
    body: Buffer.from(`${JSON.stringify(webConfig(options.endpoints), null, 2)}\n`),
    headers: { 'Content-Type': contentTypes['.json']!, 'Cache-Control': 'no-store' },
  });

  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method Not Allowed\n');
      return;
    }
    const asset = assets.get(new URL(req.url ?? '/', 'http://web').pathname);
    if (!asset) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found\n');
      return;
    }
    res.writeHead(200, { ...asset.headers, 'Content-Length': asset.body.length });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  });
  const port = options.port ?? 0;
  server.listen(port, HOST);
  try {
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is in use, so the web client cannot listen on it: start with --web-port <another port> (0: any free port)`, { cause: error });
    }
    throw error;
  }
  return {
    endpoint: `http://${HOST}:${(server.address() as AddressInfo).port}`,
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
