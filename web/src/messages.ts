// Errors in plain words, per action: what happened and what to do. Cognito's errors arrive as SDK
// ServiceExceptions whose `name` is the error code; cognito-local answers a wrong password with
// InvalidPasswordException where Cognito says NotAuthorizedException, so both read the same.
import { ApiError, ApiUnreachableError, SessionExpiredError } from './errors.js';
import { isCredentialRefusal } from './api.js';

export type Action = 'signUp' | 'confirm' | 'signIn' | 'loadProfile' | 'saveProfile';

/** The form fields a problem can point at (their `name` attributes). */
export type Field = 'email' | 'name' | 'password' | 'code';

export interface Problem {
  message: string;
  /** The field to focus and mark invalid. */
  field?: Field;
  /** Per-field messages shown next to the fields (API validation details). */
  fields?: Partial<Record<Field, string>>;
}

const tooMany = 'Too many attempts. Wait a few minutes, then try again.';

type Known = Problem | ((message: string) => Problem);

const cognitoMessages: Partial<Record<Action, Record<string, Known>>> = {
  signIn: {
    NotAuthorizedException: { message: 'Incorrect email or password', field: 'password' },
    InvalidPasswordException: { message: 'Incorrect email or password', field: 'password' },
    UserNotFoundException: { message: 'Incorrect email or password', field: 'password' },
    UserNotConfirmedException: { message: 'Confirm your email address first: enter the code we sent you.', field: 'code' },
    PasswordResetRequiredException: { message: 'Your password has to be reset before you can sign in.' },
  },
  signUp: {
    UsernameExistsException: { message: 'An account with this email already exists. Sign in instead.', field: 'email' },
    InvalidPasswordException: {
      message: 'Choose a longer or stronger password: at least 12 characters, with upper- and lower-case letters and a number.',
      field: 'password',
    },
    CodeDeliveryFailureException: { message: 'We could not send the confirmation code to this address. Check the email address.', field: 'email' },
  },
  confirm: {
    CodeMismatchException: { message: 'That confirmation code is not right. Check the code in the email and try again.', field: 'code' },
    ExpiredCodeException: { message: 'That confirmation code has expired or was already used. If your account is confirmed, sign in.', field: 'code' },
    // Cognito: "User cannot be confirmed. Current status is CONFIRMED"; cognito-local says the
    // same exception, without a message, for an unknown email.
    NotAuthorizedException: (message) =>
      /CONFIRMED/.test(message)
        ? { message: 'This account is already confirmed. Sign in.' }
        : { message: 'No account with this email is waiting for confirmation. Check the email address.', field: 'email' },
    UserNotFoundException: { message: 'No account with this email is waiting for confirmation. Check the email address.', field: 'email' },
  },
};

const fieldLabels: Record<Field, string> = { email: 'Email', name: 'Name', password: 'Password', code: 'Confirmation code' };

export function describeError(error: unknown, action: Action): Problem {
  if (error instanceof SessionExpiredError) return { message: 'Your session has ended. Sign in again.' };
  if (error instanceof ApiUnreachableError) return { message: 'Cannot reach the API. Check your connection and try again.' };
  if (error instanceof ApiError) return describeApiError(error);
  const name = error instanceof Error ? error.name : '';
  const known = cognitoMessages[action]?.[name];
  if (known) return typeof known === 'function' ? known((error as Error).message) : known;
  if (['TooManyRequestsException', 'LimitExceededException', 'TooManyFailedAttemptsException'].includes(name)) return { message: tooMany };
  if (name === 'InvalidParameterException' && /email/i.test((error as Error).message)) return { message: 'Enter a valid email address.', field: 'email' };
  // fetch rejects with a TypeError when the service cannot be reached (network, CORS).
  if (error instanceof TypeError) return { message: 'Cannot reach the sign-in service. Check your connection and try again.' };
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return { message: `Something went wrong. Try again.${detail}` };
}

function describeApiError(error: ApiError): Problem {
  if (error.code === 'ValidationError' && error.details.length > 0) {
    const fields: Partial<Record<Field, string>> = {};
    const sentences = error.details.map(({ field, message }) => {
      const key = field.replace(/^body\./, '') as Field;
      const label = fieldLabels[key] ?? field;
      const sentence = `${label} ${message}`;
      if (key in fieldLabels) fields[key] = sentence;
      return sentence;
    });
    const first = Object.keys(fields)[0] as Field | undefined;
    return { message: sentences.join('; '), fields, ...(first ? { field: first } : {}) };
  }
  if (error.status === 403 && error.code === undefined) {
    // Refused by API Gateway before any function ran.
    if (isCredentialRefusal({ status: 403, errorType: null, body: { message: error.message } })) {
      return { message: 'The API did not accept your sign-in (403). Sign out and sign in again.' };
    }
    if (/not authorized to perform/.test(error.message)) return { message: 'Your account is not allowed to use this part of the API (403).' };
    return { message: `The API refused the request (403): ${error.message}` };
  }
  if (error.status === 401 || error.status === 403) return { message: 'The API did not recognise you as a signed-in user. Sign out and sign in again.' };
  if (error.status === 404) return { message: 'Your account no longer exists.' };
  if (error.status === 400 || error.status === 413) return { message: `The API did not accept this: ${error.message}.` };
  return { message: `The service had a problem (${error.status}). Try again in a moment. Trace id: ${error.traceId}` };
}
