import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CAPABILITIES } from '../auth/capabilities.js';
import { readTokenRequest } from '../auth/token-request.js';
import { localTarget, stackTarget, type TokenTarget } from './token-target.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run token -- <command> [options]

Commands:
  create --name <name> [--capabilities A,B] [--studies 1,2] [--expires YYYY-MM-DD]
                      prints the new token (and nothing else on stdout)
  list                every token: id, name, capabilities, studies, expiry, state
  revoke <id|token>   revokes a token by its id or by its text

Where the tokens are:
  (default)           the local data folder: --data-dir, else $DATA_DIR, else ./.data
  --stack <name>      a deployed stack (AWS credentials from the usual places), with --region if needed

Capabilities: ${CAPABILITIES.join(', ')}`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      capabilities: { type: 'string' },
      studies: { type: 'string' },
      expires: { type: 'string' },
      'data-dir': { type: 'string' },
      stack: { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, argument] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const target: TokenTarget = values.stack
    ? await stackTarget(values.stack, values.region)
    : await localTarget(resolve(values['data-dir'] ?? process.env.DATA_DIR ?? '.data'));
  try {
    switch (command) {
      case 'create': {
        const read = readTokenRequest(
          { name: values.name, capabilities: values.capabilities, studies: values.studies, expiresOn: values.expires },
          new Date(),
        );
        if (!read.ok) throw new Error(read.reason);
        const { token, record } = await target.tokens.create(read.request);
        console.error(`Created token ${record.id} in ${target.description}, expiring ${record.expiresOn}`);
        console.log(token);
        return 0;
      }
      case 'list': {
        for (const t of await target.tokens.list()) {
          const state = t.revokedOn
            ? `revoked ${t.revokedOn}`
            : Date.parse(t.expiresOn) < Date.now()
              ? 'expired'
              : 'active';
          const studies = t.studies === 'all' ? 'all studies' : `studies ${t.studies.join(',')}`;
          console.log(
            `${t.id}\t${t.name}\t${t.capabilities.join(',') || '-'}\t${studies}\texpires ${t.expiresOn}\t${state}`,
          );
        }
        return 0;
      }
      case 'revoke': {
        if (!argument) throw new Error('revoke needs a token id or the token itself');
        const revoked = argument.startsWith('eyJ')
          ? await target.tokens.revokeToken(argument)
          : await target.tokens.revokeById(argument);
        if (!revoked) throw new Error(`No such token in ${target.description}`);
        console.error('Revoked.');
        return 0;
      }
      default:
        console.error(`Unknown command ${command}\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await target.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Error: ${error.message}`);
    process.exit(1);
  },
);
