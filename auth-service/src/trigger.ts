import type { Context } from 'aws-lambda';
import { invocationLogger, type Logger } from '../../shared/logger.js';

export type TriggerRoute<E> = (event: E, scope: { logger: Logger }) => Promise<void>;
export type TriggerHandler<E> = (event: E, context: Pick<Context, 'awsRequestId'>) => Promise<E>;

/**
 * Wraps a Cognito trigger: one logger per invocation, the event handed back to Cognito unchanged
 * (as every trigger must), and a failure logged (the error, never the event, which holds the
 * user's attributes) and rethrown so Cognito reports it.
 */
export function cognitoTrigger<E>(root: Logger, route: TriggerRoute<E>): TriggerHandler<E> {
  return async (event, context) => {
    const logger = invocationLogger(root, context);
    try {
      await route(event, { logger });
    } catch (error) {
      logger.error({ err: error }, 'trigger failed');
      throw error;
    }
    return event;
  };
}
