import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../auth-service/src/clients/lambda-credentials.js';

describe('the Lambda bundles\' credential provider', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('returns the credentials Lambda puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLEEXAMPLE00');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'example-session-token');

    const credentials = await defaultProvider()();

    expect(credentials).toMatchObject({ accessKeyId: 'ASIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret', sessionToken: 'example-session-token' });
  });

  it('fails with the SDK\'s provider error when the environment holds no credentials', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');

    await expect(defaultProvider()()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });
});
