import type { Profile } from '../domain/profile.js';

/** Where profiles live. Every method is one conditional request, so concurrent writers are safe. */
export interface ProfileRepository {
  /** The profile of `userId`, read consistently, or undefined when there is none. */
  get(userId: string): Promise<Profile | undefined>;
  /**
   * Stores `profile` unless one with its `userId` exists. Returns false, and changes nothing, when
   * one does: a redelivered trigger or a concurrent create-on-read.
   */
  createIfAbsent(profile: Profile): Promise<boolean>;
  /** Sets `cognitoIdentityId`; returns the updated profile, or undefined when there is none. */
  recordIdentityId(userId: string, identityId: string): Promise<Profile | undefined>;
  /**
   * Sets the fields a user may change, and `updatedAt`; returns the updated profile, or undefined
   * when there is none (nothing is created).
   */
  updateName(userId: string, name: string, updatedAt: string): Promise<Profile | undefined>;
}
