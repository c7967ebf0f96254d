import { json } from '../../../shared/http.js';
import type { Logger } from '../../../shared/logger.js';
import { loadBaseConfig } from '../config.js';
import { httpHandler, type ApiHandler } from '../http.js';
import { createServiceLogger } from '../logger.js';

/** GET /health (public): the service is up, and which stage it is. */
export function createGetHealthHandler(deps: { logger: Logger; stage: string }): ApiHandler {
  return httpHandler(deps.logger, async () => json(200, { status: 'ok', service: 'auth-service', stage: deps.stage }));
}

// Built once per cold start; a bad variable fails the init with its name in the message.
const config = loadBaseConfig();
export const handler = createGetHealthHandler({ logger: createServiceLogger(config), stage: config.stage });
