import type { Logger } from '../../../shared/logger.js';
import { NotFoundError, UserRecordError } from '../errors.js';
import type { ProfileRepository } from '../repositories/profile-repository.js';
import type { UserDirectory, UserRecord } from '../repositories/user-directory.js';
import type { Caller } from './caller.js';
import type { ConfirmSignUpEvent } from './post-confirmation.js';
import { displayNameFrom, type Profile, type ProfileUpdate } from './profile.js';

/** What writing profiles needs: the store, a clock and the invocation's logger. */
export interface ProfileStore {
  profiles: ProfileRepository;
  now: () => Date;
  logger: Logger;
}

/** What the profile routes need: the store and the user pool, for create-on-read. */
export interface ProfileDependencies extends ProfileStore {
  users: UserDirectory;
}

/**
 * PostConfirmation_ConfirmSignUp: stores `{userId, email, name, createdAt}` unless a profile
 * exists. A profile that exists means a redelivery (or a create-on-read that came first): success.
 */
export async function createProfileOnConfirmation(event: ConfirmSignUpEvent, store: ProfileStore): Promise<'created' | 'exists'> {
  const { sub, email, name } = event.request.userAttributes;
  const profile = newProfile({ sub, email, name }, store);
  if (await store.profiles.createIfAbsent(profile)) {
    store.logger.info({ userId: sub, withName: profile.name !== undefined }, 'profile created');
    return 'created';
  }
  store.logger.info({ userId: sub }, 'profile already exists; redelivered confirmation treated as success');
  return 'exists';
}

/** The caller's profile, created from their user pool attributes if missing, with their identity id recorded. */
export async function getProfile(caller: Caller, deps: ProfileDependencies): Promise<Profile> {
  const profile = (await deps.profiles.get(caller.sub)) ?? (await createFromUserPool(caller, deps));
  if (profile.cognitoIdentityId === caller.identityId) return profile;
  const updated = await deps.profiles.recordIdentityId(caller.sub, caller.identityId);
  if (!updated) throw profileGone();
  deps.logger.info({ userId: caller.sub }, 'identity id recorded on profile');
  return updated;
}

/**
 * Applies what the user may change (their display name). A missing profile is created from the
 * user pool first, as GET /profile does, rather than refused: the trigger may have failed.
 */
export async function updateProfile(caller: Caller, update: ProfileUpdate, deps: ProfileDependencies): Promise<Profile> {
  const updatedAt = deps.now().toISOString();
  let updated = await deps.profiles.updateName(caller.sub, update.name, updatedAt);
  if (!updated) {
    await createFromUserPool(caller, deps);
    updated = await deps.profiles.updateName(caller.sub, update.name, updatedAt);
  }
  if (!updated) throw profileGone();
  deps.logger.info({ userId: caller.sub }, 'profile updated');
  return updated;
}

async function createFromUserPool(caller: Caller, deps: ProfileDependencies): Promise<Profile> {
  const user = await deps.users.findUser(caller.sub);
  if (!user) throw new NotFoundError('the user pool has no user with this identity');
  const profile = { ...newProfile(user, deps), cognitoIdentityId: caller.identityId };
  if (await deps.profiles.createIfAbsent(profile)) {
    deps.logger.info({ userId: caller.sub, withName: profile.name !== undefined }, 'profile created from user pool attributes');
    return profile;
  }
  // The PostConfirmation trigger (or a concurrent request) wrote it first; that profile stands.
  deps.logger.info({ userId: caller.sub }, 'profile was created concurrently; using the stored one');
  const stored = await deps.profiles.get(caller.sub);
  if (!stored) throw profileGone();
  return stored;
}

function newProfile(user: UserRecord, store: Pick<ProfileStore, 'now' | 'logger'>): Profile {
  if (!user.email) throw new UserRecordError('the user has no email attribute to build a profile from');
  const name = displayNameFrom(user.name);
  // A name the user could not set through PUT /profile is left out rather than stored.
  if (user.name !== undefined && name === undefined) store.logger.info({ userId: user.sub }, 'name attribute is not a valid display name; left out of the profile');
  return { userId: user.sub, email: user.email, ...(name === undefined ? {} : { name }), createdAt: store.now().toISOString() };
}

// Deleted between two of our requests: rare, and for the caller the same as never having existed.
function profileGone(): NotFoundError {
  return new NotFoundError('the profile was deleted while this request ran');
}
