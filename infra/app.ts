import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveEnvironment, stackName } from './environments.js';
import { dropBundlingProgress } from './quiet-bundling.js';
import { SlideScoreStack } from './slide-score-stack.js';

/**
 * The CDK app: one stack per environment, chosen with `-c env=<name>` (see environments.ts), checked by the
 * cdk-nag AwsSolutions pack at every synth. Findings are fixed where reasonable; the rest are acknowledged
 * with `Validations.of(construct).acknowledge({ id, reason })` next to the construct they concern.
 */
export function createApp(props?: AppProps) {
  const app = new App(props);
  const environment = resolveEnvironment(app.node);
  const stack = new SlideScoreStack(app, stackName(environment), {
    environment,
    // Region only: ALB access logging needs it; leaving the account open keeps `cdk synth` offline.
    env: { region: environment.region },
    description: `Slide Score compatible server (${environment.name}${environment.production ? ', production' : ''})`,
    terminationProtection: environment.production,
  });
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { app, stack, environment, nag };
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
}

if (isEntryPoint()) {
  dropBundlingProgress();
  createApp().app.synth();
}
