import { json } from '../../../shared/http.js';
import { loadApiConfig } from '../config.js';
import { callerOf } from '../domain/caller.js';
import { profileUpdateSchema } from '../domain/profile.js';
import { updateProfile, type ProfileDependencies } from '../domain/profiles.js';
import { httpHandler, parseJsonBody, type ApiHandler } from '../http.js';
import { createServiceLogger } from '../logger.js';
import { createProfileDependencies } from '../runtime.js';

/** PUT /profile (aws_iam): changes what the caller may change (`name`); unknown fields are refused. */
export function createPutProfileHandler(deps: ProfileDependencies & { userPoolId: string }): ApiHandler {
  return httpHandler(deps.logger, async (event, { logger }) => {
    const caller = callerOf(event, deps.userPoolId);
    const update = parseJsonBody(event, profileUpdateSchema);
    return json(200, await updateProfile(caller, update, { ...deps, logger }));
  });
}

// Built once per cold start; a bad variable fails the init with its name in the message.
const config = loadApiConfig();
export const handler = createPutProfileHandler(createProfileDependencies(config, createServiceLogger(config)));
