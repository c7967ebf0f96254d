import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DefaultConfig } from 'cognito-local/lib/server/config.js';
import { Router } from 'cognito-local/lib/server/Router.js';
import { createServer } from 'cognito-local/lib/server/server.js';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService.js';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js';
import { DateClock, LambdaService, MessagesService, TriggersService } from 'cognito-local/lib/services/index.js';
import { ConsoleMessageSender } from 'cognito-local/lib/services/messageDelivery/consoleMessageSender.js';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js';
import { otp } from 'cognito-local/lib/services/otp.js';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator.js';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService.js';
import { localCredentials } from './dynalite.js';

// cognito-local's own createDefaultServer keeps its data in ./.cognito of the working directory
// and listens on a fixed port; this builds the same server from its parts (as
// lib/server/defaults.js does) with a temporary data directory, on 127.0.0.1 and a free port.

// Its own pino (a major version behind the project's), as its server expects.
type CognitoLocalLogger = Parameters<typeof createServer>[1];
const cognitoLocalPino = createRequire(createRequire(import.meta.url).resolve('cognito-local'))('pino') as (options: { level: string }) => CognitoLocalLogger;

export interface LocalUser {
  sub: string;
  email: string;
  name?: string;
}

export interface LocalCognito {
  /** The `endpoint` for CognitoIdentityProviderClient, and AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER. */
  endpoint: string;
  /** A user pool whose username is the email address, as resources/ declares it. */
  userPoolId: string;
  /** Creates a user (AdminCreateUser, no message sent); the pool assigns its `sub`. */
  createUser(email: string, attributes?: { name?: string }): Promise<LocalUser>;
  deleteUser(sub: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts cognito-local in this process with a fresh data directory and one user pool. */
export async function startCognitoLocal(): Promise<LocalCognito> {
  const dataDirectory = mkdtempSync(path.join(tmpdir(), 'cognito-local-'));
  const logger = cognitoLocalPino({ level: 'silent' });
  const ctx = { logger };
  const clock = new DateClock();
  const dataStores = new StormDBDataStoreFactory(dataDirectory);
  const cognito = await new CognitoServiceFactoryImpl(dataDirectory, dataStores, new UserPoolServiceFactoryImpl(clock, dataStores)).create(ctx, DefaultConfig.UserPoolDefaults);
  // No trigger functions are configured, so the Lambda and KMS clients are never used.
  const triggers = new TriggersService(clock, cognito, new LambdaService({}, undefined as never), undefined as never);
  const all = {
    clock,
    cognito,
    config: DefaultConfig,
    messages: new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, DefaultConfig.TokenConfig),
    triggers,
  };
  const server = (await createServer(Router(all), logger, { port: 0, hostname: '127.0.0.1' }, all).start()) as Server;
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const client = new CognitoIdentityProviderClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: 'auth-service-test', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error('cognito-local created a user pool without an id');

  return {
    endpoint,
    userPoolId,
    async createUser(email, attributes = {}) {
      const userAttributes = [{ Name: 'email', Value: email }, ...(attributes.name === undefined ? [] : [{ Name: 'name', Value: attributes.name }])];
      const { User } = await client.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: email, MessageAction: 'SUPPRESS', UserAttributes: userAttributes }));
      const sub = User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      if (!sub) throw new Error('cognito-local created a user without a sub');
      return { sub, email, ...attributes };
    },
    async deleteUser(sub) {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: sub }));
    },
    async close() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}
