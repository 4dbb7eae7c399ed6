// oidc-provider ships no types; only what test/oauth2-provider.ts and test/oidc-issuer.ts use.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  type StoredToken = { destroy(): Promise<void>; scope?: string; clientId?: string };

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    ClientCredentials: { find(value: string): Promise<StoredToken | undefined> };
  }
}
