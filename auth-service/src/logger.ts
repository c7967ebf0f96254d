import { createLogger, type Logger } from '../../shared/logger.js';
import type { BaseConfig } from './config.js';

/** The root logger of a function of this service (its own module: /health needs no SDK). */
export function createServiceLogger(config: BaseConfig): Logger {
  return createLogger({ service: 'auth-service', stage: config.stage, functionName: config.functionName, level: config.logLevel });
}
