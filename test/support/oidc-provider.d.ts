// The part of oidc-provider's API the sign-in test uses (the package ships no type declarations).
declare module 'oidc-provider' {
  import type { Server } from 'node:http';
  type Account = { accountId: string; claims(): Promise<Record<string, unknown>> };
  type Configuration = {
    clients: Record<string, unknown>[];
    claims?: Record<string, string[]>;
    findAccount(ctx: unknown, id: string): Promise<Account | undefined>;
    cookies?: { keys: string[] };
  };
  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    listen(port: number, host: string): Server;
  }
}
