// The signed-in user's profile from GET /profile, the name form (PUT /profile) and sign-out.
import type { Profile } from '../api.js';
import type { App } from '../app.js';
import { describeError } from '../messages.js';
import { input, onSubmit } from '../ui/forms.js';
import { required } from '../ui/screen.js';

export function showProfile(app: App, options: { focus: boolean }): void {
  const view = app.screen.show('profile', options);
  const form = required(view.querySelector('form'), 'profile form');
  const nameInput = input(form, 'name');
  const slot = (name: string) => required(view.querySelector(`[data-slot="${name}"]`), `${name} slot`);
  const show = (profile: Profile) => {
    slot('email').textContent = profile.email;
    slot('name').textContent = profile.name ?? 'not set';
    slot('created').textContent = new Date(profile.createdAt).toLocaleDateString(undefined, { dateStyle: 'long' });
    nameInput.value = profile.name ?? '';
  };

  slot('email').textContent = app.session.email;
  app.screen.status('Loading your profile…');
  app.api.getProfile().then(
    (profile) => {
      // Signed out (or moved on) while it loaded: nothing to show it in.
      if (!form.isConnected) return;
      show(profile);
      app.screen.status(`Signed in as ${profile.email}.`);
    },
    async (error: unknown) => {
      if (!form.isConnected || (await app.sessionEnded(error))) return;
      app.screen.problem(describeError(error, 'loadProfile'));
    },
  );

  onSubmit(form, app.screen, 'saveProfile', async ({ name = '' }) => {
    try {
      const profile = await app.api.updateProfile({ name });
      show(profile);
      app.screen.status(`Saved. Your name is now ${profile.name ?? name}.`);
    } catch (error) {
      if (!(await app.sessionEnded(error))) throw error;
    }
  });

  required(view.querySelector('[data-action="sign-out"]'), 'sign-out button').addEventListener('click', () => {
    void app.endSession({ status: 'You are signed out.' });
  });
}
