import { loadProfilesConfig } from '../config.js';
import { parsePostConfirmationEvent } from '../domain/post-confirmation.js';
import { createProfileOnConfirmation, type ProfileStore } from '../domain/profiles.js';
import { createServiceLogger } from '../logger.js';
import { createTriggerStore } from '../runtime.js';
import { cognitoTrigger, type TriggerHandler } from '../trigger.js';

/**
 * Cognito PostConfirmation: a confirmed sign-up gets its profile (once, however often Cognito
 * delivers it); a confirmed password reset writes nothing. The pool is `event.userPoolId`.
 */
export function createPostConfirmationHandler(store: ProfileStore): TriggerHandler<unknown> {
  return cognitoTrigger(store.logger, async (event, { logger }) => {
    const confirmation = parsePostConfirmationEvent(event);
    const fields = { triggerSource: confirmation.triggerSource, userPoolId: confirmation.userPoolId };
    if (confirmation.triggerSource === 'PostConfirmation_ConfirmSignUp') {
      await createProfileOnConfirmation(confirmation, { ...store, logger: logger.child(fields) });
    } else {
      logger.info(fields, 'password reset confirmed; nothing to write');
    }
  });
}

// Built once per cold start; a bad variable fails the init with its name in the message.
const config = loadProfilesConfig();
export const handler = createPostConfirmationHandler(createTriggerStore(config, createServiceLogger(config)));
