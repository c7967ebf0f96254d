import { fromEnv } from '@aws-sdk/credential-provider-env';

// Stands in for @aws-sdk/credential-provider-node in the Lambda bundles only: custom.esbuild.alias
// in auth-service/serverless.yml points the SDK clients' import of the default chain here. Tests,
// scripts and the forwarder run with the real chain.
//
// Lambda puts the execution role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN of every execution environment, and the default chain tries the environment
// first (this service sets no AWS_PROFILE), so in Lambda the chain never got past that link.
// The links it no longer carries (SSO, ini files, credential_process, web identity, container
// and instance metadata) are what made the bundles heavy, along with the STS, SSO and sign-in
// clients they load. Anything that hands credentials over in another way would need the chain back.

/** The default credential provider, reduced to its environment link. */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
