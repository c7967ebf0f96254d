import { PostConfirmationTriggerSchema } from '@aws-lambda-powertools/parser/schemas/cognito';
import { describe, expect, it } from 'vitest';
import { parsePostConfirmationEvent, type PostConfirmationEvent } from '../../auth-service/src/domain/post-confirmation.js';
import { InvalidTriggerEventError } from '../../auth-service/src/errors.js';
import { loadFixture } from '../helpers/fixtures.js';
import { thrownBy } from '../helpers/thrown.js';

const signUp = loadFixture<PostConfirmationEvent>('cognito', 'post-confirmation-sign-up');
const forgotPassword = loadFixture<PostConfirmationEvent>('cognito', 'post-confirmation-forgot-password');

/** The sign-up fixture with its user attributes replaced. */
const withAttributes = (userAttributes: Record<string, unknown>) => ({ ...signUp, request: { userAttributes } });
const { sub, email, ...withoutSubAndEmail } = signUp.request.userAttributes;

/** The error parsing `event` throws. */
const refusal = (event: unknown) => thrownBy<InvalidTriggerEventError>(() => parsePostConfirmationEvent(event));

describe('parsePostConfirmationEvent', () => {
  it('reads a confirmed sign-up', () => {
    const event = parsePostConfirmationEvent(signUp);

    expect(event.triggerSource).toBe('PostConfirmation_ConfirmSignUp');
    expect(event.request.userAttributes).toMatchObject({ sub, email, name: 'Ada Lovelace' });
  });

  it('reads a confirmed password reset', () => {
    expect(parsePostConfirmationEvent(forgotPassword).triggerSource).toBe('PostConfirmation_ConfirmForgotPassword');
  });

  it('accepts a sign-up without a name attribute', () => {
    const { name: _name, ...attributes } = signUp.request.userAttributes;

    expect(parsePostConfirmationEvent(withAttributes(attributes)).request.userAttributes.name).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['no sub', withAttributes({ ...withoutSubAndEmail, email }), 'request.userAttributes.sub: is required (string)'],
    ['a sub that is not a UUID', withAttributes({ ...withoutSubAndEmail, email, sub: 'ada' }), 'request.userAttributes.sub: must be a valid uuid'],
    ['no email', withAttributes({ ...withoutSubAndEmail, sub }), 'request.userAttributes.email: is required (string)'],
    ['an empty email', withAttributes({ ...withoutSubAndEmail, sub, email: '' }), 'request.userAttributes.email: must not be empty'],
    ['an attribute that is not a string', withAttributes({ ...signUp.request.userAttributes, email_verified: true }), 'request.userAttributes.email_verified: must be a string'],
    ['no user attributes', { ...signUp, request: {} }, 'request.userAttributes: is required (object)'],
    ['another trigger', { ...signUp, triggerSource: 'PreSignUp_SignUp' }, 'triggerSource: must be one of "PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"'],
    ['no trigger source', { ...signUp, triggerSource: undefined }, 'triggerSource: must be one of'],
    ['no user pool id', { ...signUp, userPoolId: undefined }, 'userPoolId: is required (string)'],
    ['no caller context', { ...signUp, callerContext: undefined }, 'callerContext: is required (object)'],
    ['null', null, 'event: must be an object'],
    ['a string', 'PostConfirmation_ConfirmSignUp', 'event: must be an object'],
  ])('refuses an event with %s, naming the field', (_case, event, message) => {
    const error = refusal(event);

    expect(error).toBeInstanceOf(InvalidTriggerEventError);
    expect(error.name).toBe('InvalidTriggerEventError');
    expect(error.message).toContain('not a PostConfirmation event: ');
    expect(error.message).toContain(message);
  });

  it('never quotes the event in the error', () => {
    const error = refusal(withAttributes({ ...signUp.request.userAttributes, sub: 'not-a-uuid', phone_number: 5 }));

    const text = JSON.stringify({ message: error.message, issues: error.issues });
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('not-a-uuid');
    expect(text).not.toContain('Ada Lovelace');
  });
});

describe('the PostConfirmation schema against Powertools PostConfirmationTriggerSchema', () => {
  // Ours adds the password-reset trigger and requires what a profile is built from, so it accepts
  // what Powertools accepts only when those are there, and refuses everything Powertools refuses.
  const variants: Array<[string, unknown]> = [
    ['a real sign-up', signUp],
    ['a sign-up with client metadata', { ...signUp, request: { ...signUp.request, clientMetadata: { source: 'web' } } }],
    ['no version', { ...signUp, version: undefined }],
    ['no region', { ...signUp, region: undefined }],
    ['no clientId', { ...signUp, callerContext: { awsSdkVersion: 'x' } }],
    ['a numeric attribute', withAttributes({ ...signUp.request.userAttributes, sub: 1 })],
    ['client metadata of numbers', { ...signUp, request: { ...signUp.request, clientMetadata: { n: 1 } } }],
    ['no response', { ...signUp, response: undefined }],
    ['no userName', { ...signUp, userName: undefined }],
    ['null', null],
    ['an array', [signUp]],
  ];

  it.each(variants)('gives the same verdict for %s', (_name, event) => {
    const theirs = PostConfirmationTriggerSchema.safeParse(event);

    const ours = (() => {
      try {
        return parsePostConfirmationEvent(event);
      } catch {
        return undefined;
      }
    })();

    expect(ours !== undefined).toBe(theirs.success);
    if (ours && theirs.success) expect(ours).toEqual(theirs.data);
  });
});
