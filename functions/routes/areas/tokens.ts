import type { RouteDefinition } from '../route-definition.js';
import { READ, SMALL, WRITE } from '../route-definition.js';

/** Tokens: creating, listing and giving up API tokens. */
export const TOKENS_ROUTES = [
  {
    id: 'CreateToken',
    methods: WRITE,
    path: '/Admin/CreateToken',
    handler: 'functions/api/tokens/create-token.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageTokens',
    ...SMALL,
    summary: 'Creates an API token. It can hold no capability or study the calling token does not hold.',
    params: [
      { name: 'name', required: true, description: 'What the token is for.' },
      {
        name: 'expiresOn',
        description: 'ISO 8601 date or date-time; a bare date means the end of that day (UTC). Default: one year.',
      },
      { name: 'capabilities', description: 'Comma-separated capability names, e.g. CanGetResults,CanGetPixels.' },
      { name: 'studies', description: 'Comma-separated study IDs the token is limited to; empty means all.' },
    ],
  },
  {
    id: 'ListTokens',
    methods: READ,
    path: '/Admin/Tokens',
    handler: 'functions/api/tokens/list-tokens.ts',
    reply: 'success',
    auth: 'token',
    capability: 'CanManageTokens',
    ...SMALL,
    summary: 'Lists every API token (never the token text itself), newest first.',
  },
  {
    id: 'AdminGiveupToken',
    methods: WRITE,
    path: '/Admin/GiveupToken',
    handler: 'functions/api/tokens/give-up-token-by-value.ts',
    reply: 'success',
    auth: 'public',
    ...SMALL,
    summary: 'Revokes the token sent as the `token` form field; holding a token is the right to give it up.',
    params: [{ name: 'token', required: true, description: 'The API token to revoke.' }],
  },
  {
    id: 'GiveUpToken',
    methods: WRITE,
    path: '/Api/GiveUpToken',
    handler: 'functions/api/tokens/give-up-token.ts',
    reply: 'success',
    auth: 'token',
    ...SMALL,
    summary: 'Revokes the bearer token of this call.',
  },
  {
    id: 'GetTokenExpiry',
    methods: READ,
    path: '/Api/GetTokenExpiry',
    handler: 'functions/api/tokens/get-token-expiry.ts',
    reply: 'success',
    auth: 'token',
    ...SMALL,
    summary: 'When the bearer token expires: {"success":true,"expiresOn":"<ISO 8601>"}.',
  },
] as const satisfies readonly RouteDefinition[];
