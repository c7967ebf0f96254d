/** How an SDK client is built: where it talks to and how long it may wait. */
export interface ClientOptions {
  region: string;
  /** A configured endpoint (AWS_ENDPOINT_URL_<SERVICE>), e.g. a local emulator. */
  endpoint?: string;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  connectionTimeoutMs: number;
  /** The longest wait for a response once connected. */
  requestTimeoutMs: number;
}

/** API routes: API Gateway waits 29 s, so the SDK's usual three attempts fit. */
export const apiClientOptions = { maxAttempts: 3, connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000 } as const;

/** Cognito triggers: Cognito waits 5 s for the whole function, so fail fast and let it retry. */
export const triggerClientOptions = { maxAttempts: 2, connectionTimeoutMs: 500, requestTimeoutMs: 1_500 } as const;
