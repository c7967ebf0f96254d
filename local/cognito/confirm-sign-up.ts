// Cognito marks the address a sign-up code went to as verified when the code is confirmed
// (`email_verified: "true"` for a pool whose AutoVerifiedAttributes has email), before the
// PostConfirmation trigger runs; cognito-local leaves it unverified. This marks it first when the
// code is right, then lets cognito-local's ConfirmSignUp confirm the user and run the trigger.
import type { Route, Router } from 'cognito-local/lib/server/Router.js';
import type { CognitoService } from 'cognito-local/lib/services/cognitoService.js';
import { attribute, attributesAppend, attributeValue } from 'cognito-local/lib/services/userPoolService.js';

interface ConfirmSignUpRequest {
  ClientId?: string;
  Username?: string;
  ConfirmationCode?: string;
}

const verifiable = { email: 'email_verified', phone_number: 'phone_number_verified' } as const;

/** cognito-local's router with ConfirmSignUp verifying the auto-verified attributes. */
export function withVerifyingConfirmSignUp(router: Router, cognito: CognitoService): Router {
  return (target) => (target === 'ConfirmSignUp' ? verifyingConfirmSignUp(router(target), cognito) : router(target));
}

function verifyingConfirmSignUp(confirmSignUp: Route, cognito: CognitoService): Route {
  return async (ctx, req: ConfirmSignUpRequest) => {
    if (req.ClientId && req.Username && req.ConfirmationCode) {
      const pool = await cognito.getUserPoolForClientId(ctx, req.ClientId);
      const user = await pool.getUserByUsername(ctx, req.Username);
      if (user?.ConfirmationCode !== undefined && user.ConfirmationCode === req.ConfirmationCode) {
        const verified = (pool.options.AutoVerifiedAttributes ?? [])
          .filter((name): name is keyof typeof verifiable => name in verifiable && attributeValue(name, user.Attributes) !== undefined)
          .map((name) => attribute(verifiable[name], 'true'));
        if (verified.length > 0) await pool.saveUser(ctx, { ...user, Attributes: attributesAppend(user.Attributes, ...verified) });
      }
    }
    return confirmSignUp(ctx, req);
  };
}
