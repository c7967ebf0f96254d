// The web client in a real browser (Debian's Chromium through playwright-core) against its own
// offline stack: sign up, confirm, sign in, the profile, a new name that survives a reload, the
// API's validation message, credentials renewed and retried, sign-out, and a wrong password.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../../local/stack.js';
import { browserAvailability, launchChromium, readSessionStorage, writeSessionStorage } from '../helpers/browser.js';

const root = path.resolve(import.meta.dirname, '../..');
const stateDir = path.join(root, '.local', `test-web-${process.pid}`);
const screenshot = path.join(root, 'test', 'artifacts', 'web-profile.png');
const availability = browserAvailability();

describe.skipIf(!availability.run)('the web client in a real browser', () => {
  let stack: RunningStack;
  let browser: Browser;
  let page: Page;
  const email = `web-${Date.now()}@example.com`;
  const password = 'Web-Client-Test-1a';
  // What the page reports that a test did not ask for: uncaught exceptions, CORS refusals.
  const pageProblems: string[] = [];
  // Every answer of the API to the page: method, status.
  const apiAnswers: Array<{ method: string; status: number }> = [];
  // The X-Amz-Target of every call to the user pool and the identity pool, with its auth flow.
  const cognitoCalls: string[] = [];

  const heading = (name: string) => page.getByRole('heading', { name, level: 1, exact: true });
  const profile = () => page.getByRole('region', { name: 'Your profile' });
  const status = () => page.getByRole('status');
  const alert = () => page.getByRole('alert');
  /** Opens the sign-up form from the sign-in page and sends it. */
  const signUp = async (address: string, name: string) => {
    await page.getByRole('link', { name: 'Create an account' }).click();
    await heading('Create an account').waitFor();
    await page.getByLabel('Email').fill(address);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
  };

  beforeAll(async () => {
    // The browser first: where it is missing (a failure in CI) no stack is started for nothing.
    browser = await launchChromium();
    stack = await startStack({ root, stateDir, ports: {} });
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.setDefaultNavigationTimeout(15_000);
    page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageProblems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.url().startsWith(stack.endpoints.endpoints.api)) apiAnswers.push({ method: response.request().method(), status: response.status() });
    });
    page.on('request', (request) => {
      const target = request.headers()['x-amz-target'];
      if (!target) return;
      const flow = /"AuthFlow":"(\w+)"/.exec(request.postData() ?? '')?.[1];
      cognitoCalls.push(flow ? `${target.split('.').pop()}:${flow}` : (target.split('.').pop() ?? target));
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    rmSync(stateDir, { recursive: true, force: true });
  }, 60_000);

  it('serves the page, the bundle and a config.json of this stack that is never cached', async () => {
    const web = stack.endpoints.endpoints.web!;
    const [html, bundle, config] = await Promise.all([fetch(`${web}/`), fetch(`${web}/app.js`), fetch(`${web}/config.json`)]);

    expect(stack.endpoints.endpoints.web).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect([html.status, bundle.status, config.status]).toEqual([200, 200, 200]);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(config.headers.get('cache-control')).toBe('no-store');
    expect(await config.json()).toEqual({
      region: stack.endpoints.region,
      userPoolId: stack.endpoints.userPoolId,
      userPoolClientId: stack.endpoints.userPoolClientId,
      identityPoolId: stack.endpoints.identityPoolId,
      endpoints: {
        api: stack.endpoints.endpoints.api,
        cognitoIdentityProvider: stack.endpoints.endpoints.cognitoIdentityProvider,
        cognitoIdentity: stack.endpoints.endpoints.cognitoIdentity,
      },
      localConfirmationCode: stack.endpoints.confirmationCode,
    });
  });

  it('signs up, confirms with the code and signs in to the profile from GET /profile', async () => {
    await page.goto(stack.endpoints.endpoints.web!);
    await heading('Sign in').waitFor();
    await signUp(email, 'Ada Lovelace');
    await heading('Confirm your account').waitFor();
    const afterSignUp = await status().textContent();
    await page.getByLabel('Confirmation code').fill(stack.endpoints.confirmationCode);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await heading('Sign in').waitFor();
    const prefilled = await page.getByLabel('Email').inputValue();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await profile().getByText('Ada Lovelace', { exact: true }).waitFor();

    expect(afterSignUp).toBe(`Account created. We sent a confirmation code to ${email}.`);
    expect(prefilled).toBe(email);
    expect(await profile().getByText(email, { exact: true }).count()).toBe(1);
    expect(await page.getByLabel('Name').inputValue()).toBe('Ada Lovelace');
    expect(apiAnswers).toContainEqual({ method: 'GET', status: 200 });
  });

  it('saves a new name with PUT /profile and still shows it, signed in, after a reload', async () => {
    await page.getByLabel('Name').fill('Ada King');
    await page.getByRole('button', { name: 'Save' }).click();
    await status().filter({ hasText: 'Saved. Your name is now Ada King.' }).waitFor();

    await page.reload();
    await profile().getByText('Ada King', { exact: true }).waitFor();
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });

    expect(apiAnswers).toContainEqual({ method: 'PUT', status: 200 });
    expect(await page.getByLabel('Name').inputValue()).toBe('Ada King');
    expect(await heading('Sign in').count()).toBe(0);
  });

  it("shows the API's validation message for a name it refuses, at the field", async () => {
    await page.getByLabel('Name').fill('Ada <King>');
    await page.getByRole('button', { name: 'Save' }).click();
    await alert().filter({ hasText: 'Name may only contain' }).waitFor();

    expect(await alert().textContent()).toBe("Name may only contain letters, numbers, spaces and . ' -");
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Name').evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    expect(apiAnswers).toContainEqual({ method: 'PUT', status: 400 });
  });

  it('retries once with new credentials when the API refuses the stored ones (403)', async () => {
    const key = await credentialsKey();
    const stored = JSON.parse((await readSessionStorage(page))[key]!) as { accessKeyId: string; secretAccessKey: string };
    await writeSessionStorage(page, { [key]: JSON.stringify({ ...stored, secretAccessKey: 'not-the-secret-the-identity-pool-issued' }) });
    apiAnswers.length = 0;

    await page.reload();
    await profile().getByText('Ada King', { exact: true }).waitFor();

    expect(apiAnswers).toEqual([
      { method: 'GET', status: 403 },
      { method: 'GET', status: 200 },
    ]);
    const renewed = JSON.parse((await readSessionStorage(page))[key]!) as { accessKeyId: string };
    expect(renewed.accessKeyId).not.toBe(stored.accessKeyId);
  });

  it('renews an expired ID token with the refresh token and credentials about to expire before calling the API', async () => {
    const storage = await readSessionStorage(page);
    const key = await credentialsKey();
    const tokens = JSON.parse(storage['web-client:tokens']!) as { idToken: string };
    const credentials = JSON.parse(storage[key]!) as Record<string, string>;
    await writeSessionStorage(page, {
      'web-client:tokens': JSON.stringify({ ...tokens, idToken: withExpiry(tokens.idToken, Date.now() - 60_000) }),
      [key]: JSON.stringify({ ...credentials, expiration: new Date(Date.now() + 60_000).toISOString() }),
    });
    apiAnswers.length = 0;
    cognitoCalls.length = 0;

    await page.reload();
    await profile().getByText('Ada King', { exact: true }).waitFor();

    expect(cognitoCalls).toEqual(['InitiateAuth:REFRESH_TOKEN_AUTH', 'GetCredentialsForIdentity']);
    expect(apiAnswers).toEqual([{ method: 'GET', status: 200 }]);
  });

  it('signs out: the sign-in form, and nothing of the session left in the tab', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in').waitFor();
    const message = await status().textContent();
    await page.reload();
    await heading('Sign in').waitFor();

    expect(message).toBe('You are signed out.');
    expect(Object.keys(await readSessionStorage(page)).filter((key) => key.startsWith('web-client:'))).toEqual([]);
    expect(cognitoCalls.at(-1)).toBe('RevokeToken');
  });

  it('says "Incorrect email or password" for a wrong password and puts focus on the password', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Not-The-Password-1a');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await alert().filter({ hasText: 'Incorrect email or password' }).waitFor();

    expect(await alert().textContent()).toBe('Incorrect email or password');
    expect(await page.getByLabel('Password').evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    expect(await heading('Sign in').count()).toBe(1);
  });

  it('says so when the email already has an account, and when a confirmation code is wrong', async () => {
    const newcomer = `web-code-${Date.now()}@example.com`;
    await signUp(email, 'Ada Again');
    await alert().filter({ hasText: 'already exists' }).waitFor();
    const taken = await alert().textContent();
    await page.getByLabel('Email').fill(newcomer);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await heading('Confirm your account').waitFor();
    await page.getByLabel('Confirmation code').fill(stack.endpoints.confirmationCode === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await alert().filter({ hasText: 'confirmation code' }).waitFor();

    expect(taken).toBe('An account with this email already exists. Sign in instead.');
    expect(await alert().textContent()).toBe('That confirmation code is not right. Check the code in the email and try again.');
    expect(await page.getByLabel('Confirmation code').getAttribute('aria-invalid')).toBe('true');
  });

  it('reported no uncaught exception and no CORS refusal in the page', () => {
    expect(pageProblems).toEqual([]);
  });

  async function credentialsKey(): Promise<string> {
    const key = Object.keys(await readSessionStorage(page)).find((name) => name.startsWith('web-client:credentials:'));
    if (!key) throw new Error('the page stored no credentials');
    return key;
  }
});

/** The same JWT with another `exp` (the app reads it without verifying; the signature no longer matches). */
function withExpiry(jwt: string, expiresAt: number): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [header, Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(expiresAt / 1000) })).toString('base64url'), signature].join('.');
}
