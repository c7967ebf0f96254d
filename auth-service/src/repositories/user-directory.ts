/** The attributes of a user pool user that a profile is built from. */
export interface UserRecord {
  sub: string;
  email?: string;
  name?: string;
}

/** Where users are registered: the user pool. */
export interface UserDirectory {
  /** The user whose `sub` this is, or undefined when the pool has no such user. */
  findUser(sub: string): Promise<UserRecord | undefined>;
}
