import * as z from 'zod/mini';

// zod/mini rather than zod's classic API, as in the forwarder: the same checks at a fraction of
// the bundle size and module init time, which every cold start of these functions pays.

export const displayNameMaxLength = 64;

const controlCharacters = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
// Letters, combining marks, digits, the ASCII space and . ' - (and ’, which phone keyboards put
// in place of ' in names like O’Brien).
const displayNameCharacters = /^[\p{L}\p{M}\p{N} .'’-]+$/u;

/**
 * A display name as users may set it: NFC-normalized and trimmed, 1–64 characters (code points),
 * letters, marks, numbers, spaces and . ' - only, no control characters.
 */
export const displayNameSchema = z.string().check(
  z.overwrite((value) => value.normalize('NFC').trim()),
  z.minLength(1, { error: 'must not be empty', abort: true }),
  z.refine((value) => [...value].length <= displayNameMaxLength, `must be at most ${displayNameMaxLength} characters`),
  z.refine((value) => !controlCharacters.test(value), 'must not contain control characters'),
  z.refine(
    (value) => controlCharacters.test(value) || displayNameCharacters.test(value),
    "may only contain letters, numbers, spaces and . ' -",
  ),
);

/** The body of PUT /profile: the fields a user may change, and nothing else. */
export const profileUpdateSchema = z.strictObject({ name: displayNameSchema });

export type ProfileUpdate = z.infer<typeof profileUpdateSchema>;

/** A profile as stored in the profiles table and returned to its owner. */
export const profileSchema = z.object({
  /** The user pool `sub`, the table's key. */
  userId: z.string(),
  email: z.string(),
  name: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.optional(z.string()),
  /** The identity pool identity the user last called the API with. */
  cognitoIdentityId: z.optional(z.string()),
});

export type Profile = z.infer<typeof profileSchema>;

/** A user pool `name` attribute as a display name, or undefined when it would not pass as one. */
export function displayNameFrom(attribute: string | undefined): string | undefined {
  if (attribute === undefined) return undefined;
  const parsed = displayNameSchema.safeParse(attribute);
  return parsed.success ? parsed.data : undefined;
}
