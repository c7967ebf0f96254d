// Starts the whole offline stack from the packaged templates: DynamoDB (dynalite), the user pool
// (cognito-local), the identity pool, the functions (one process per execution environment), the
// CloudWatch-like log pipeline into the real forwarder, the REST API gateway, and the web client.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildStack } from './build.js';
import { startCognito } from './cognito/index.js';
import { startDynamoDb } from './dynamodb.js';
import { SqsEventSource } from './sqs/event-source.js';
import { startSqs, type LocalSqs } from './sqs/index.js';
import { writeEndpoints, type EndpointsFile } from './endpoints.js';
import { startGateway } from './gateway/server.js';
import { startIdentityPool } from './identity-pool/index.js';
import { loadLocalIds } from './ids.js';
import { freePort } from '../tools/free-port.js';
import { createLambdaRuntime, startInvokeApi } from './lambda/index.js';
import { createLogPipeline } from './logs/pipeline.js';
import type { PolicyStatement, StackModel, StackSettings } from './model.js';
import { stackModel } from './template/model.js';
import { startWeb } from './web.js';

export interface StackOptions {
  /** The repository root. */
  root: string;
  /** Where data and builds are kept between runs; must be inside `root`. */
  stateDir: string;
  stage?: string;
  region?: string;
  /** The forwarder's LOG_SINK; `sqlite:<stateDir>/logs.db` by default. */
  logSink?: string;
  /** The confirmation code every sign-up accepts (cognito-local's CODE). */
  confirmationCode?: string;
  /** Ports; 0 picks a free one. */
  ports?: Partial<Record<'api' | 'cognitoIdentityProvider' | 'cognitoIdentity' | 'dynamodb' | 'lambda' | 'sqs' | 'web', number>>;
  /** More stage params of the forwarder (tests: a short `retryWindowMs`). */
  forwarderParams?: Readonly<Record<string, string>>;
  /** Let the emulators and the functions' output through to stderr. */
  verbose?: boolean;
  /** Package again even when nothing changed. */
  rebuild?: boolean;
  /** Progress lines for people. */
  log?: (line: string) => void;
  /** Waits before the retries of a failed asynchronous invocation (Lambda: 1 and 2 minutes). */
  asyncRetryDelaysMs?: readonly number[];
  /** The gateway's clock (tests move it to check expired credentials and clock skew). */
  now?: () => Date;
  /** Replaces the identity role's statements the gateway enforces (tests: a narrower role). */
  authenticatedPolicy?: PolicyStatement[];
}

export interface RunningStack {
  endpoints: EndpointsFile;
  /** Where endpoints.json was written. */
  endpointsFile: string;
  model: StackModel;
  /** The forwarder's failure and dead-letter queues. */
  sqs: LocalSqs;
  /** Ships whatever the log pipeline still holds and waits for the forwarder to finish. */
  flushLogs(): Promise<void>;
  close(): Promise<void>;
}

export const defaultConfirmationCode = '123456';

/** Starts every part; on any failure stops what already started and rethrows. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => undefined);
  const stateDir = path.resolve(options.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const settings: StackSettings = {
    region: options.region ?? 'us-east-1',
    accountId: '000000000000',
    stage: options.stage ?? 'local',
    stateDir,
  };
  const logSink = options.logSink ?? `sqlite:${path.join(stateDir, 'logs.db')}`;
  const code = options.confirmationCode ?? defaultConfirmationCode;
  const closers: Array<() => Promise<void>> = [];
  const releaseLock = lockStateDir(stateDir);
  closers.push(async () => releaseLock());
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const built = await buildStack({
      root: options.root,
      stateDir,
      stage: settings.stage,
      region: settings.region,
      logSink,
      ...(options.forwarderParams ? { forwarderParams: options.forwarderParams } : {}),
      force: options.rebuild,
      log,
    });
    log(built.rebuilt ? 'packaged both services' : 'packaging skipped: nothing changed since the last start');
    const ids = loadLocalIds(stateDir, settings.region);
    const model = stackModel(built, settings, ids, built.functionFiles);

    const dynamodb = await startDynamoDb({ stateDir, tables: model.tables, port: options.ports?.dynamodb ?? 0 });
    closers.push(() => dynamodb.close());
    // The forwarder's failure and dead-letter queues (in memory: a restart empties them).
    const sqs = await startSqs({ queues: model.queues, region: settings.region, port: options.ports?.sqs ?? 0 });
    closers.push(() => sqs.close());

    // cognito-local invokes the triggers through the Invoke API, and the functions call cognito-local:
    // the Invoke API's port is chosen first, so every endpoint is known before anything needs it.
    const lambdaPort = options.ports?.lambda || (await freePort());
    const cognito = await startCognito({
      stateDir,
      settings,
      ids,
      userPool: model.userPool,
      lambdaEndpoint: `http://127.0.0.1:${lambdaPort}`,
      port: options.ports?.cognitoIdentityProvider ?? 0,
      code,
      verbose: options.verbose,
    });
    closers.push(() => cognito.close());

    const runtime = await createLambdaRuntime({
      functions: model.functions,
      settings,
      // The functions' lines go through CloudWatch-like subscriptions to the forwarder, a function of this runtime.
      logs: (invoker) => createLogPipeline({ subscriptions: model.subscriptions, settings, invoker }),
      baseEnv: { AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint, AWS_ENDPOINT_URL_SQS: sqs.endpoint },
      verbose: options.verbose,
      ...(options.asyncRetryDelaysMs ? { asyncRetryDelaysMs: options.asyncRetryDelaysMs } : {}),
      report: (message) => log(message),
    });
    closers.push(async () => {
      await runtime.logs.close();
      await runtime.drain();
      await runtime.close();
    });
    const invokeApi = await startInvokeApi(runtime, { host: '127.0.0.1', port: lambdaPort });
    closers.push(() => invokeApi.close());
    // Lambda's SQS event source mappings (the replay function on the failure queue); stopped
    // before the runtime closes.
    for (const source of model.eventSources) {
      const eventSource = new SqsEventSource({
        queues: sqs.queues,
        queue: source.queue,
        region: settings.region,
        batchSize: source.batchSize,
        invoke: async (event) => {
          const result = await runtime.invoke(source.functionName, event);
          if (result.error) throw new Error(`${result.error.errorType}: ${result.error.errorMessage}`);
          return source.reportBatchItemFailures ? result.payload : undefined;
        },
        report: log,
      });
      eventSource.start();
      closers.push(() => eventSource.stop());
    }

    const providerName = `cognito-idp.${settings.region}.amazonaws.com/${ids.userPoolId}`;
    const identityPool = await startIdentityPool({
      settings,
      ids,
      identityPool: model.identityPool,
      userPool: { issuer: cognito.issuer, jwksUri: cognito.jwksUri, clientId: ids.userPoolClientId, providerName },
      stateDir,
      port: options.ports?.cognitoIdentity ?? 0,
    });
    closers.push(() => identityPool.close());

    const gateway = await startGateway({
      api: model.api,
      settings,
      invoker: runtime,
      lookup: identityPool.lookup,
      identityPoolId: ids.identityPoolId,
      policy: options.authenticatedPolicy ?? model.identityPool.authenticatedPolicy,
      ...(options.now ? { now: options.now } : {}),
      authenticatedRoleArn: model.identityPool.authenticatedRoleArn,
      port: options.ports?.api ?? 0,
      log: (message, fields) => log(`gateway: ${message} ${JSON.stringify(fields)}`),
    });
    closers.push(() => gateway.close());

    const endpoints: EndpointsFile = {
      region: settings.region,
      stage: settings.stage,
      userPoolId: ids.userPoolId,
      userPoolClientId: ids.userPoolClientId,
      identityPoolId: ids.identityPoolId,
      endpoints: {
        cognitoIdentityProvider: cognito.endpoint,
        cognitoIdentity: identityPool.endpoint,
        dynamodb: dynamodb.endpoint,
        api: gateway.endpoint,
        lambda: invokeApi.endpoint,
        sqs: sqs.endpoint,
      },
      logSink,
      confirmationCode: code,
    };
    const web = await startWeb({ root: options.root, stateDir, endpoints, port: options.ports?.web ?? 0 });
    closers.push(() => web.close());
    endpoints.endpoints.web = web.endpoint;
    const endpointsFile = writeEndpoints(stateDir, endpoints);
    return {
      endpoints,
      endpointsFile,
      model,
      sqs,
      async flushLogs() {
        await runtime.logs.flush();
        await runtime.drain();
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * One stack per state dir: a second one would fight over dynalite's LevelDB lock and
 * cognito-local's files. Returns the release.
 */
const lockedHere = new Set<string>();

function lockStateDir(stateDir: string): () => void {
  const file = path.join(stateDir, 'stack.pid');
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (Number.isInteger(pid) && (pid === process.pid ? lockedHere.has(stateDir) : isRunning(pid))) {
      throw new Error(`another offline stack (pid ${pid}) is running with ${stateDir}: stop it first (Ctrl-C), or start this one with --state-dir <other folder>`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  writeFileSync(file, String(process.pid));
  lockedHere.add(stateDir);
  return () => {
    lockedHere.delete(stateDir);
    rmSync(file, { force: true });
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
