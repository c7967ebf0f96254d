import { json } from '../../../shared/http.js';
import { loadApiConfig } from '../config.js';
import { callerOf } from '../domain/caller.js';
import { getProfile, type ProfileDependencies } from '../domain/profiles.js';
import { httpHandler, type ApiHandler } from '../http.js';
import { createServiceLogger } from '../logger.js';
import { createProfileDependencies } from '../runtime.js';

/** GET /profile (aws_iam): the caller's profile, created from the user pool if missing. */
export function createGetProfileHandler(deps: ProfileDependencies & { userPoolId: string }): ApiHandler {
  return httpHandler(deps.logger, async (event, { logger }) => {
    const caller = callerOf(event, deps.userPoolId);
    return json(200, await getProfile(caller, { ...deps, logger }));
  });
}

// Built once per cold start; a bad variable fails the init with its name in the message.
const config = loadApiConfig();
export const handler = createGetProfileHandler(createProfileDependencies(config, createServiceLogger(config)));
