// Confirm the account with the emailed code; sign-in follows.
import type { App } from '../app.js';
import { input, onSubmit } from '../ui/forms.js';
import { required } from '../ui/screen.js';

export function showConfirm(app: App, options: { focus: boolean }): void {
  const view = app.screen.show('confirm', options);
  const form = required(view.querySelector('form'), 'confirmation form');
  const code = app.config.localConfirmationCode;
  const hint = view.querySelector('[data-slot="code-hint"]');
  if (code && hint) hint.textContent = `Offline stack: no email is sent, and every confirmation code is ${code}.`;
  input(form, 'email').value = app.email;
  onSubmit(form, app.screen, 'confirm', async ({ email = '', code: entered = '' }) => {
    await app.userPool.confirmSignUp(email, entered);
    app.email = email;
    app.go('sign-in', { status: 'Your account is confirmed. Sign in with your email and password.' });
  });
}
