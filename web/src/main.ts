// The web client: loads config.json, restores the tab's session, and shows one view at a time
// (sign-in, sign-up, confirmation, profile), addressed by the URL's hash.
import { App, type Render } from './app.js';
import { parseConfig, type WebConfig } from './config.js';
import { Screen } from './ui/screen.js';
import { createUserPool } from './user-pool.js';
import { showConfirm } from './views/confirm.js';
import { showProfile } from './views/profile.js';
import { showSignIn } from './views/sign-in.js';
import { showSignUp } from './views/sign-up.js';

const render: Render = (app, view, options) => {
  switch (view) {
    case 'sign-up':
      return showSignUp(app, options);
    case 'confirm':
      return showConfirm(app, options);
    case 'profile':
      return showProfile(app, options);
    case 'sign-in':
      return showSignIn(app, options);
  }
};

async function loadConfig(): Promise<WebConfig> {
  // Relative, so the app works from any path it is hosted under.
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return parseConfig(await response.json());
}

async function start(): Promise<void> {
  const screen = new Screen(document);
  let config: WebConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    screen.error(`The app cannot start: its configuration could not be loaded (${(error as Error).message}).`);
    document.getElementById('view')?.replaceChildren();
    return;
  }
  const app = new App(config, createUserPool(config), screen, sessionStorage, render);
  window.addEventListener('hashchange', () => app.route({ focus: true }));
  app.route({ focus: false });
}

void start();
