// The signed-in user's tokens, kept in sessionStorage so a reload keeps the session (and closing
// the tab ends it). The ID token is renewed with the refresh token before it expires, since the
// identity pool refuses an expired one.
import type { Tokens, UserPool } from './user-pool.js';

/** Renew tokens and credentials when less than this is left of them. */
export const refreshMarginMs = 5 * 60_000;

/** Every key the app stores starts with this; sign-out removes them all. */
export const storagePrefix = 'web-client:';
const tokensKey = `${storagePrefix}tokens`;

export interface IdTokenClaims {
  sub: string;
  email: string;
  /** Expiry, in milliseconds since the epoch. */
  expiresAt: number;
}

/** The claims the app uses from an ID token (not verified here: the identity pool verifies it). */
export function idTokenClaims(idToken: string): IdTokenClaims {
  const payload = idToken.split('.')[1];
  if (!payload) throw new TypeError('not a JWT');
  const json = JSON.parse(new TextDecoder().decode(base64UrlBytes(payload))) as Record<string, unknown>;
  if (typeof json.sub !== 'string' || typeof json.exp !== 'number') throw new TypeError('the ID token has no sub or exp');
  return { sub: json.sub, email: typeof json.email === 'string' ? json.email : '', expiresAt: json.exp * 1000 };
}

export class Session {
  private tokens: Tokens;
  private claims: IdTokenClaims;
  private renewing: Promise<string> | undefined;

  private constructor(
    private readonly storage: Storage,
    private readonly userPool: UserPool,
    tokens: Tokens,
    private readonly now: () => number,
  ) {
    this.tokens = tokens;
    this.claims = idTokenClaims(tokens.idToken);
  }

  /** A new session from a sign-in; stored at once. */
  static start(storage: Storage, userPool: UserPool, tokens: Tokens, now: () => number = Date.now): Session {
    const session = new Session(storage, userPool, tokens, now);
    session.save();
    return session;
  }

  /** The session of this tab, if one was stored and is readable. */
  static restore(storage: Storage, userPool: UserPool, now: () => number = Date.now): Session | undefined {
    try {
      const stored = JSON.parse(storage.getItem(tokensKey) ?? 'null') as Partial<Tokens> | null;
      if (!stored?.idToken || !stored.accessToken || !stored.refreshToken) return undefined;
      return new Session(storage, userPool, { idToken: stored.idToken, accessToken: stored.accessToken, refreshToken: stored.refreshToken }, now);
    } catch {
      // Unreadable (edited, or from another version of the app): start signed out.
      return undefined;
    }
  }

  get sub(): string {
    return this.claims.sub;
  }

  get email(): string {
    return this.claims.email;
  }

  get refreshToken(): string {
    return this.tokens.refreshToken;
  }

  /** A current ID token: the stored one, or a renewed one when it expires within the margin. */
  async idToken(): Promise<string> {
    if (this.claims.expiresAt - this.now() > refreshMarginMs) return this.tokens.idToken;
    // One renewal at a time: concurrent callers share it.
    this.renewing ??= this.renew().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  /** Forgets everything the app stored in this tab (tokens, credentials, the identity id). */
  end(): void {
    for (let i = this.storage.length - 1; i >= 0; i--) {
      const key = this.storage.key(i);
      if (key?.startsWith(storagePrefix)) this.storage.removeItem(key);
    }
  }

  private async renew(): Promise<string> {
    const tokens = await this.userPool.refresh(this.tokens.refreshToken);
    this.tokens = tokens;
    this.claims = idTokenClaims(tokens.idToken);
    this.save();
    return tokens.idToken;
  }

  private save(): void {
    this.storage.setItem(tokensKey, JSON.stringify(this.tokens));
  }
}

function base64UrlBytes(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}
