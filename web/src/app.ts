// What the views share: configuration, the user pool, the session (if signed in) and its API
// client, navigation between views, and the email carried from sign-up to confirmation to sign-in.
import { createApi, type Api } from './api.js';
import type { WebConfig } from './config.js';
import { identityCredentials } from './credentials.js';
import { SessionExpiredError } from './errors.js';
import { Session, storagePrefix } from './session.js';
import type { Screen } from './ui/screen.js';
import type { Tokens, UserPool } from './user-pool.js';

export const views = ['sign-in', 'sign-up', 'confirm', 'profile'] as const;
export type ViewName = (typeof views)[number];

export interface Messages {
  status?: string;
  error?: string;
}

export type Render = (app: App, view: ViewName, options: { focus: boolean }) => void;

const emailKey = `${storagePrefix}email`;

export class App {
  private current: { session: Session; api: Api } | undefined;

  constructor(
    readonly config: WebConfig,
    readonly userPool: UserPool,
    readonly screen: Screen,
    private readonly storage: Storage,
    private readonly render: Render,
  ) {
    const session = Session.restore(storage, userPool);
    if (session) this.current = this.connect(session);
  }

  get signedIn(): boolean {
    return this.current !== undefined;
  }

  get session(): Session {
    if (!this.current) throw new SessionExpiredError();
    return this.current.session;
  }

  get api(): Api {
    if (!this.current) throw new SessionExpiredError();
    return this.current.api;
  }

  /** The email typed last (sign-up, confirmation, sign-in), to fill in on the next form. */
  get email(): string {
    return this.storage.getItem(emailKey) ?? '';
  }

  set email(value: string) {
    this.storage.setItem(emailKey, value);
  }

  startSession(tokens: Tokens): void {
    this.current = this.connect(Session.start(this.storage, this.userPool, tokens));
    this.go('profile');
  }

  /** Signs out: revokes the refresh token (best effort), forgets the session, shows sign-in. */
  async endSession(messages: Messages): Promise<void> {
    const ending = this.current;
    this.current = undefined;
    if (ending) {
      ending.session.end();
      // The tokens are gone from this tab either way; revocation also ends them at the identity pool.
      await this.userPool.revoke(ending.session.refreshToken).catch(() => undefined);
    }
    this.go('sign-in', messages);
  }

  /** Ends the session if `error` says it has ended; true when it did. */
  async sessionEnded(error: unknown): Promise<boolean> {
    if (!(error instanceof SessionExpiredError)) return false;
    await this.endSession({ error: 'Your session has ended. Sign in again.' });
    return true;
  }

  /** Shows `view` (the profile whenever signed in), as a new history entry. */
  go(view: ViewName, messages: Messages = {}): void {
    const target = this.signedIn ? 'profile' : view === 'profile' ? 'sign-in' : view;
    if (location.hash !== `#${target}`) history.pushState(null, '', `#${target}`);
    this.render(this, target, { focus: true });
    this.screen.status(messages.status ?? '');
    if (messages.error) this.screen.error(messages.error);
  }

  /** Shows the view the address asks for (on load and on back/forward). */
  route(options: { focus: boolean }): void {
    const asked = location.hash.slice(1);
    const view: ViewName = this.signedIn ? 'profile' : (views as readonly string[]).includes(asked) && asked !== 'profile' ? (asked as ViewName) : 'sign-in';
    if (asked !== view) history.replaceState(null, '', `#${view}`);
    this.screen.status('');
    this.render(this, view, options);
  }

  private connect(session: Session): { session: Session; api: Api } {
    return { session, api: createApi(this.config, identityCredentials(this.config, session, this.storage)) };
  }
}
