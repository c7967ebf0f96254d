// Cognito user pools for the offline stack: cognito-local in this process, on loopback, its data
// under `<stateDir>/cognito`, with the template's pool and client under the stack's AWS-shaped
// ids (local/cognito/user-pool.ts) and its triggers invoked through the stack's Lambda Invoke API
// (local/cognito/lambda-client.ts). Built from cognito-local's parts as its own
// lib/server/defaults.js does, which would instead read ./.cognito and listen on port 9229.
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DefaultConfig, type Config } from 'cognito-local/lib/server/config.js';
import { Router } from 'cognito-local/lib/server/Router.js';
import { createServer } from 'cognito-local/lib/server/server.js';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService.js';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js';
import { DateClock, LambdaService, MessagesService, TriggersService } from 'cognito-local/lib/services/index.js';
import { ConsoleMessageSender } from 'cognito-local/lib/services/messageDelivery/consoleMessageSender.js';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js';
import { otp } from 'cognito-local/lib/services/otp.js';
import { JwtTokenGenerator, type TokenConfig } from 'cognito-local/lib/services/tokenGenerator.js';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService.js';
import { withVerifyingConfirmSignUp } from './confirm-sign-up.js';
import { triggerLambdaClient } from './lambda-client.js';
import { ensureUserPool, triggerFunctions } from './user-pool.js';
import type { LocalIds, StackSettings, UserPoolSpec } from '../model.js';

// cognito-local's own pino (a major version behind the project's), as its server expects.
type CognitoLocalLogger = Parameters<typeof createServer>[1];
const cognitoLocalPino = createRequire(createRequire(import.meta.url).resolve('cognito-local'))('pino') as (options: { level: string }) => CognitoLocalLogger;

export interface CognitoOptions {
  /** The stack's state folder; the pools live in its `cognito/` folder. */
  stateDir: string;
  settings: StackSettings;
  ids: LocalIds;
  userPool: UserPoolSpec;
  /** The Lambda Invoke API the triggers are invoked through. */
  lambdaEndpoint: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * A fixed code for every confirmation (sign-up, password reset, attribute verification), as
   * cognito-local's CODE variable gives; without it, CODE or a random 6-digit code.
   */
  code?: string;
  /** Lets cognito-local log (requests, warnings, the codes it "sends"); silent otherwise. */
  verbose?: boolean;
}

export interface LocalCognito {
  /** The `endpoint` for CognitoIdentityProviderClient, and AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER. */
  endpoint: string;
  /** The `iss` of the pool's tokens: `<endpoint>/<userPoolId>`. */
  issuer: string;
  /** The pool's JWKS: `<endpoint>/<userPoolId>/.well-known/jwks.json`. */
  jwksUri: string;
  close(): Promise<void>;
}

/** Starts cognito-local with the template's user pool and client. */
export async function startCognito(options: CognitoOptions): Promise<LocalCognito> {
  const { stateDir, settings, ids, userPool, lambdaEndpoint, port = 0, code, verbose = false } = options;
  const functions = triggerFunctions(userPool.triggers);
  const dataDirectory = path.join(stateDir, 'cognito');
  const logger = cognitoLocalPino({ level: verbose ? 'info' : 'silent' });
  const ctx = { logger };
  const clock = new DateClock();
  const dataStores = new StormDBDataStoreFactory(dataDirectory);
  // No defaults from cognito-local's configuration: the pool is the template's.
  const cognito = await new CognitoServiceFactoryImpl(dataDirectory, dataStores, new UserPoolServiceFactoryImpl(clock, dataStores)).create(ctx, {});
  await ensureUserPool(ctx, cognito, userPool, ids, settings);

  const lambdaClient = triggerLambdaClient(lambdaEndpoint, settings.region);
  // Set once the port is known: the token generator reads it at every sign-in.
  const tokenConfig: TokenConfig = {};
  const config: Config = {
    ...DefaultConfig,
    TriggerFunctions: functions,
    UserPoolDefaults: {},
    TokenConfig: tokenConfig,
    ServerConfig: { port, hostname: '127.0.0.1', development: false, https: false },
  };
  // cognito-local types the client as aws-sdk v2's Lambda, of which it calls invoke().promise().
  const lambda = new LambdaService(config.TriggerFunctions, lambdaClient as unknown as ConstructorParameters<typeof LambdaService>[1]);
  // KMS only decrypts codes for CustomEmailSender, which triggerFunctions() refuses.
  const triggers = new TriggersService(clock, cognito, lambda, undefined as never);
  const services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp: code === undefined ? otp : () => code,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, tokenConfig),
    triggers,
  };
  let server: Server;
  try {
    server = (await createServer(withVerifyingConfirmSignUp(Router(services), cognito), logger, config.ServerConfig, services).start()) as Server;
  } catch (error) {
    lambdaClient.destroy();
    throw error;
  }
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokenConfig.IssuerDomain = endpoint;

  return {
    endpoint,
    issuer: `${endpoint}/${ids.userPoolId}`,
    jwksUri: `${endpoint}/${ids.userPoolId}/.well-known/jwks.json`,
    async close() {
      lambdaClient.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
