// Create an account (email, name, password); the confirmation form follows.
import type { App } from '../app.js';
import { input, onSubmit } from '../ui/forms.js';
import { required } from '../ui/screen.js';

export function showSignUp(app: App, options: { focus: boolean }): void {
  const form = required(app.screen.show('sign-up', options).querySelector('form'), 'sign-up form');
  input(form, 'email').value = app.email;
  onSubmit(form, app.screen, 'signUp', async ({ email = '', name = '', password = '' }) => {
    await app.userPool.signUp({ email, name, password });
    app.email = email;
    app.go('confirm', { status: `Account created. We sent a confirmation code to ${email}.` });
  });
}
