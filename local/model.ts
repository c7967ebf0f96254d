// The offline stack's picture of what would be deployed, read from the packaged CloudFormation
// templates of both services (local/template/), and the contracts between its parts.
import type { PolicyStatement } from './gateway/iam-policy.js';

/** Where and as what the stack runs. */
export interface StackSettings {
  region: string;
  /** The account every local ARN names; never a real one. */
  accountId: string;
  stage: string;
  /** The folder that keeps data between runs (`.local/` by default). */
  stateDir: string;
}

/** One Lambda function as deployed, ready to run locally. */
export interface FunctionSpec {
  /** `auth-service` or `log-forwarder`. */
  service: string;
  /** The function's key in serverless.yml, e.g. `getProfile`. */
  key: string;
  /** The deployed name, e.g. `auth-service-local-getProfile`: what Invoke and the log group use. */
  name: string;
  /** Absolute path of the bundled handler module extracted from the packaged zip. */
  handlerFile: string;
  /** The exported handler, e.g. `handler`. */
  handlerExport: string;
  /**
   * The environment from the template with every reference resolved to the local resources
   * (table names, pool ids, ...). The runtime adds the variables Lambda itself sets
   * (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION, credentials, _X_AMZN_TRACE_ID per invocation, ...)
   * and the local endpoints (AWS_ENDPOINT_URL_<SERVICE>).
   */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** `/aws/lambda/<name>`. */
  logGroup: string;
}

/** CORS as the template's OPTIONS method (a MOCK integration) answers a preflight. */
export interface CorsSpec {
  allowOrigin: string;
  allowHeaders: string;
  allowMethods: string;
  allowCredentials?: string;
}

/** One API Gateway REST method with a Lambda proxy integration. */
export interface RouteSpec {
  method: string;
  /** The resource path as API Gateway writes it, e.g. `/profile` or `/items/{id}`. */
  path: string;
  authorization: 'NONE' | 'AWS_IAM';
  /** The deployed name of the function the integration invokes. */
  functionName: string;
}

/** A gateway response (`DEFAULT_4XX`, `DEFAULT_5XX`, ...) and the headers it adds. */
export interface GatewayResponseSpec {
  type: string;
  statusCode?: string;
  headers: Record<string, string>;
}

export interface ApiSpec {
  /** The REST API id locally (stable across runs). */
  apiId: string;
  stage: string;
  routes: RouteSpec[];
  /** Preflight answers by resource path. */
  cors: Record<string, CorsSpec>;
  gatewayResponses: GatewayResponseSpec[];
}

// An IAM policy statement with every intrinsic function resolved: the gateway's schema says its shape.
export type { PolicyStatement };

export interface UserPoolSpec {
  /** The resource's properties from the template (Policies, Schema, UsernameAttributes, ...). */
  properties: Record<string, unknown>;
  /** Trigger name (`PostConfirmation`, ...) → deployed function name, from LambdaConfig. */
  triggers: Record<string, string>;
  client: { properties: Record<string, unknown> };
}

export interface IdentityPoolSpec {
  allowUnauthenticated: boolean;
  /** The authenticated role's statements, with `${ApiGatewayRestApi}` and the like resolved. */
  authenticatedPolicy: PolicyStatement[];
  /** The role's ARN, as `userArn` and the assumed-role `caller` are built from it. */
  authenticatedRoleArn: string;
}

/** A DynamoDB table's CreateTable input, from the template. */
export interface TableSpec {
  name: string;
  properties: Record<string, unknown>;
}

/** A subscription filter: events of `logGroup` matching `filterPattern` go to `functionName`. */
export interface SubscriptionSpec {
  logGroup: string;
  filterPattern: string;
  /** The deployed name of the destination function (the forwarder). */
  functionName: string;
}

/** An SQS queue of the templates. */
export interface QueueSpec {
  name: string;
  /** Seconds a received message stays invisible; 30 as on SQS. */
  visibilityTimeoutSeconds?: number;
  /** Moves a message to `deadLetterQueue` once it was received `maxReceiveCount` times and is still there. */
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

/** An SQS event source mapping: batches of `queue` invoke `functionName`. */
export interface EventSourceSpec {
  functionName: string;
  queue: string;
  batchSize: number;
  /** FunctionResponseTypes has ReportBatchItemFailures: the function names the messages to keep. */
  reportBatchItemFailures: boolean;
}

/** Everything the stack runs, derived from the packaged templates. */
export interface StackModel {
  settings: StackSettings;
  functions: FunctionSpec[];
  api: ApiSpec;
  userPool: UserPoolSpec;
  identityPool: IdentityPoolSpec;
  tables: TableSpec[];
  subscriptions: SubscriptionSpec[];
  queues: QueueSpec[];
  eventSources: EventSourceSpec[];
}

/** Ids of the local resources, decided once and kept under the state dir across runs. */
export interface LocalIds {
  userPoolId: string;
  userPoolClientId: string;
  identityPoolId: string;
  apiId: string;
}

/** The answer of a Lambda invocation, as the Invoke API gives it. */
export interface InvokeResult {
  requestId: string;
  /** The handler's return value (RequestResponse), or undefined. */
  payload?: unknown;
  /** Set when the function failed: Lambda's `X-Amz-Function-Error: Unhandled` body. */
  error?: { errorType: string; errorMessage: string; trace?: string[] };
}

/** Runs functions like Lambda (local/lambda/). */
export interface Invoker {
  invoke(functionName: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
}

export interface InvokeOptions {
  invocationType?: 'RequestResponse' | 'Event';
  /**
   * The caller's `X-Amzn-Trace-Id` (API Gateway passes it on): the invocation continues that
   * trace, so `_X_AMZN_TRACE_ID` and the function's log lines carry its root.
   */
  traceHeader?: string;
}

/** One line of a function's output, as CloudWatch Logs stores it. */
export interface LogLine {
  logGroup: string;
  logStream: string;
  /** Epoch milliseconds when the line was written. */
  timestamp: number;
  message: string;
}

/** Takes every line the functions write (local/logs/). */
export interface LogWriter {
  write(line: LogLine): void;
}

/** Temporary credentials the local identity pool issued, for the gateway to verify. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  identityId: string;
  identityPoolId: string;
  /** The user pool login: `cognito-idp.<region>.amazonaws.com/<poolId>`. */
  providerName: string;
  /** The user pool `sub` of the signed-in user. */
  sub: string;
}

/** Looks up issued credentials by access key id. */
export type CredentialLookup = (accessKeyId: string) => IssuedCredentials | undefined;
