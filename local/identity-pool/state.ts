// What the local identity pool remembers, in `<stateDir>/identity-pool.json`: one identity id per
// user (so a restart gives a user the identity id, and the profile, they had), and the
// credentials it issued (so requests signed before a restart still verify until they expire).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import type { IssuedCredentials } from '../model.js';

/** How long expired credentials are kept, so the gateway can say "expired" rather than "unknown". */
const expiredRetentionMs = 24 * 60 * 60 * 1000;

const stateSchema = z.object({
  identityPoolId: z.string(),
  /** Identity id → the user pool `sub` it belongs to (none for an unauthenticated identity). */
  identities: z.record(z.string(), z.object({ sub: z.optional(z.string()) })),
  credentials: z.array(
    z.object({
      accessKeyId: z.string(),
      secretAccessKey: z.string(),
      sessionToken: z.string(),
      expiration: z.string(),
      identityId: z.string(),
      identityPoolId: z.string(),
      providerName: z.string(),
      sub: z.string(),
    }),
  ),
});

export class IdentityPoolState {
  private readonly identityBySub = new Map<string, string>();

  private constructor(
    private readonly file: string,
    private readonly identityPoolId: string,
    private readonly identities: Map<string, { sub?: string }>,
    private readonly issued: Map<string, IssuedCredentials>,
  ) {
    for (const [identityId, { sub }] of identities) if (sub !== undefined) this.identityBySub.set(sub, identityId);
  }

  /** The state of `identityPoolId` kept in `<stateDir>/identity-pool.json`; empty if none, or another pool's. */
  static load(stateDir: string, identityPoolId: string): IdentityPoolState {
    const file = path.join(stateDir, 'identity-pool.json');
    const stored = existsSync(file) ? parse(file) : undefined;
    if (!stored || stored.identityPoolId !== identityPoolId) return new IdentityPoolState(file, identityPoolId, new Map(), new Map());
    const credentials = stored.credentials.map((entry) => ({ ...entry, expiration: new Date(entry.expiration) }));
    return new IdentityPoolState(file, identityPoolId, new Map(Object.entries(stored.identities)), new Map(credentials.map((entry) => [entry.accessKeyId, entry])));
  }

  /** The identity id of the user `sub`, if they have one. */
  identityOf(sub: string): string | undefined {
    return this.identityBySub.get(sub);
  }

  /** The identity, if this pool has it. */
  identity(identityId: string): { sub?: string } | undefined {
    return this.identities.get(identityId);
  }

  /** Records an identity, of a user (`sub`) or unauthenticated. */
  addIdentity(identityId: string, sub?: string): void {
    this.identities.set(identityId, sub === undefined ? {} : { sub });
    if (sub !== undefined) this.identityBySub.set(sub, identityId);
    this.save();
  }

  /** Credentials issued with this access key id, expired or not. */
  credentials(accessKeyId: string): IssuedCredentials | undefined {
    return this.issued.get(accessKeyId);
  }

  addCredentials(credentials: IssuedCredentials): void {
    const forgetBefore = Date.now() - expiredRetentionMs;
    for (const [accessKeyId, { expiration }] of this.issued) if (expiration.getTime() < forgetBefore) this.issued.delete(accessKeyId);
    this.issued.set(credentials.accessKeyId, credentials);
    this.save();
  }

  private save(): void {
    const state: z.infer<typeof stateSchema> = {
      identityPoolId: this.identityPoolId,
      identities: Object.fromEntries(this.identities),
      credentials: [...this.issued.values()].map((entry) => ({ ...entry, expiration: entry.expiration.toISOString() })),
    };
    mkdirSync(path.dirname(this.file), { recursive: true });
    // Written aside and renamed, so a crash never leaves half a file that loses every identity.
    writeFileSync(`${this.file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${this.file}.tmp`, this.file);
  }
}

function parse(file: string): z.infer<typeof stateSchema> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not JSON; remove it to start the identity pool afresh`, { cause: error });
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not an identity pool state file; remove it to start the identity pool afresh: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
