import { describe, expect, it } from 'vitest';
import { displayNameFrom, profileUpdateSchema } from '../../auth-service/src/domain/profile.js';
import { InvalidJsonError, PayloadTooLargeError, ValidationError } from '../../auth-service/src/errors.js';
import { maxBodyBytes, parseJsonBody } from '../../auth-service/src/http.js';
import { thrownBy } from '../helpers/thrown.js';

/** A PUT /profile body as API Gateway passes it. */
const request = (body: string | null, isBase64Encoded = false) => ({ body, isBase64Encoded });
const parse = (body: string | null) => parseJsonBody(request(body), profileUpdateSchema);

/** The error `parse` throws for `body`. */
const refusal = (body: string | null) => thrownBy<Error & { statusCode?: number; details?: unknown }>(() => parse(body));

describe('PUT /profile body', () => {
  it('accepts a display name, trimmed and NFC-normalized', () => {
    expect(parse('{"name":"  Ada Lovelace  "}')).toEqual({ name: 'Ada Lovelace' });
    expect(parse(JSON.stringify({ name: 'Zoe\u0308' }))).toEqual({ name: 'Zoë' });
  });

  it.each(["Seán O'Brien", 'O’Brien', 'Jean-Luc Picard', 'J. R. R. Tolkien', '李小龍', 'Ольга', 'محمد', 'Louis XIV', 'नमस्ते'])('accepts %s', (name) => {
    expect(parse(JSON.stringify({ name }))).toEqual({ name });
  });

  it('counts characters, not UTF-16 units: 64 letters outside the BMP are allowed, 65 are not', () => {
    const letter = '\u{1D400}'; // MATHEMATICAL BOLD CAPITAL A, a letter of two UTF-16 units

    expect(parse(JSON.stringify({ name: letter.repeat(64) })).name).toHaveLength(128);
    expect(refusal(JSON.stringify({ name: letter.repeat(65) }))).toBeInstanceOf(ValidationError);
  });

  it.each<[string, unknown, Array<{ field: string; message: string }>]>([
    ['a name that is too long', { name: 'a'.repeat(65) }, [{ field: 'name', message: 'must be at most 64 characters' }]],
    ['an empty name', { name: '' }, [{ field: 'name', message: 'must not be empty' }]],
    ['a name of spaces', { name: '   ' }, [{ field: 'name', message: 'must not be empty' }]],
    ['a NUL character', { name: 'Ada\u0000' }, [{ field: 'name', message: 'must not contain control characters' }]],
    ['a newline inside', { name: 'Ada\nLovelace' }, [{ field: 'name', message: 'must not contain control characters' }]],
    ['a right-to-left override', { name: 'Ada\u202Eecalevol' }, [{ field: 'name', message: 'must not contain control characters' }]],
    ['markup', { name: '<script>' }, [{ field: 'name', message: "may only contain letters, numbers, spaces and . ' -" }]],
    ['an emoji', { name: 'Ada 🚀' }, [{ field: 'name', message: "may only contain letters, numbers, spaces and . ' -" }]],
    ['a number', { name: 42 }, [{ field: 'name', message: 'must be a string' }]],
    ['no name', {}, [{ field: 'name', message: 'is required (string)' }]],
    ['an unknown field', { name: 'Ada', email: 'x@example.com' }, [{ field: 'email', message: 'is not a known field' }]],
    ['fields a user may not change', { name: 'Ada', userId: 'u', createdAt: 'c' }, [{ field: 'userId', message: 'is not a known field' }, { field: 'createdAt', message: 'is not a known field' }]],
    ['an array', [{ name: 'Ada' }], [{ field: 'body', message: 'must be an object' }]],
    ['a string', 'Ada', [{ field: 'body', message: 'must be an object' }]],
    ['null', null, [{ field: 'body', message: 'must be an object' }]],
  ])('refuses %s with 400 and the field at fault', (_case, body, details) => {
    const error = refusal(JSON.stringify(body));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ statusCode: 400, code: 'ValidationError', details });
    expect(error.message).toContain(`${details[0]!.field}: ${details[0]!.message}`);
  });

  it('never quotes the submitted value in its message', () => {
    const error = refusal(JSON.stringify({ name: 'a'.repeat(60) + '<script>' }));

    expect(error.message).not.toContain('<script>');
    expect(JSON.stringify(error.details)).not.toContain('<script>');
  });

  it.each([['not JSON', '{"name":'], ['empty', ''], ['missing', null]])('refuses a body that is %s with 400 InvalidJson', (_case, body) => {
    const error = refusal(body);

    expect(error).toBeInstanceOf(InvalidJsonError);
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidJson' });
  });

  it('does not echo the body in the message when JSON.parse fails', () => {
    expect(refusal('{"name": secret-value').message).not.toContain('secret-value');
  });

  it(`refuses a body over ${maxBodyBytes} bytes with 413 before parsing it`, () => {
    const error = refusal(JSON.stringify({ name: 'a'.repeat(maxBodyBytes) }));

    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ statusCode: 413 });
  });

  it('decodes a base64 body', () => {
    const body = Buffer.from('{"name":"Ada"}').toString('base64');

    expect(parseJsonBody(request(body, true), profileUpdateSchema)).toEqual({ name: 'Ada' });
  });
});

describe('displayNameFrom', () => {
  it('keeps a user pool name that passes as a display name, and drops one that does not', () => {
    expect(displayNameFrom(' Ada Lovelace ')).toBe('Ada Lovelace');
    expect(displayNameFrom('Ada <admin>')).toBeUndefined();
    expect(displayNameFrom('x'.repeat(100))).toBeUndefined();
    expect(displayNameFrom(undefined)).toBeUndefined();
  });
});
