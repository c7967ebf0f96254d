import * as z from 'zod/mini';
import { InvalidTriggerEventError } from '../errors.js';
import { fieldIssues, summarize } from './issues.js';

// The PostConfirmation event as Powertools' `PostConfirmationTriggerSchema` has it
// (@aws-lambda-powertools/parser/schemas/cognito), in zod/mini for the bundle size. Powertools'
// schema only knows PostConfirmation_ConfirmSignUp; Cognito also sends the trigger after a
// password reset. A sign-up must carry the attributes a profile is built from (`sub`, `email`);
// a password reset is only recognised, since nothing is written for it.
// test/unit/auth-trigger-event.test.ts holds this schema to Powertools' verdicts.

const base = {
  version: z.string(),
  region: z.string(),
  userPoolId: z.string(),
  userName: z.optional(z.string()),
  callerContext: z.object({ awsSdkVersion: z.string(), clientId: z.string() }),
  response: z.object({}),
};
const clientMetadata = z.optional(z.record(z.string(), z.string()));

const signUpAttributes = z.catchall(
  z.object({
    sub: z.uuid(),
    email: z.string().check(z.minLength(1, 'must not be empty')),
    name: z.optional(z.string()),
  }),
  z.string(),
);

export const confirmSignUpEventSchema = z.object({
  ...base,
  triggerSource: z.literal('PostConfirmation_ConfirmSignUp'),
  request: z.object({ userAttributes: signUpAttributes, clientMetadata }),
});

export const confirmForgotPasswordEventSchema = z.object({
  ...base,
  triggerSource: z.literal('PostConfirmation_ConfirmForgotPassword'),
  request: z.object({ userAttributes: z.record(z.string(), z.string()), clientMetadata }),
});

export const postConfirmationEventSchema = z.discriminatedUnion('triggerSource', [
  confirmSignUpEventSchema,
  confirmForgotPasswordEventSchema,
]);

export type PostConfirmationEvent = z.infer<typeof postConfirmationEventSchema>;
export type ConfirmSignUpEvent = z.infer<typeof confirmSignUpEventSchema>;

/**
 * Checks that `event` is a PostConfirmation event. Throws {@link InvalidTriggerEventError} naming
 * every field at fault; the message never quotes a value, so it can be logged.
 */
export function parsePostConfirmationEvent(event: unknown): PostConfirmationEvent {
  const parsed = postConfirmationEventSchema.safeParse(event, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issues = fieldIssues(parsed.error, 'event');
  throw new InvalidTriggerEventError(`not a PostConfirmation event: ${summarize(issues)}`, issues);
}
