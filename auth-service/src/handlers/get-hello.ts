import { json } from '../../../shared/http.js';
import type { Logger } from '../../../shared/logger.js';
import { loadCallerConfig } from '../config.js';
import { callerOf } from '../domain/caller.js';
import { httpHandler, type ApiHandler } from '../http.js';
import { createServiceLogger } from '../logger.js';

/** GET /hello (aws_iam): who the caller is, as the API sees them. */
export function createGetHelloHandler(deps: { logger: Logger; userPoolId: string }): ApiHandler {
  return httpHandler(deps.logger, async (event) => {
    const caller = callerOf(event, deps.userPoolId);
    return json(200, { message: 'Hello', identityId: caller.identityId, sub: caller.sub });
  });
}

// Built once per cold start; a bad variable fails the init with its name in the message.
const config = loadCallerConfig();
export const handler = createGetHelloHandler({ logger: createServiceLogger(config), userPoolId: config.userPoolId });
