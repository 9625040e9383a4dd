import type { Context } from 'aws-lambda';
import type { Caller } from '../auth/caller.js';
import type { Parameters } from './parameters.js';

/** The Lambda context, plus what the pipeline's middlewares add before the handler runs. */
export interface ApiContext extends Context {
  params: Parameters;
  caller?: Caller;
}
