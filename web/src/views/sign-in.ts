// Sign in with email and password; an unconfirmed account is sent to the confirmation form.
import type { App } from '../app.js';
import { describeError } from '../messages.js';
import { input, onSubmit } from '../ui/forms.js';
import { required } from '../ui/screen.js';

export function showSignIn(app: App, options: { focus: boolean }): void {
  const form = required(app.screen.show('sign-in', options).querySelector('form'), 'sign-in form');
  input(form, 'email').value = app.email;
  onSubmit(form, app.screen, 'signIn', async ({ email = '', password = '' }) => {
    app.email = email;
    try {
      app.startSession(await app.userPool.signIn(email, password));
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'UserNotConfirmedException') throw error;
      app.go('confirm', { error: describeError(error, 'signIn').message });
    }
  });
}
