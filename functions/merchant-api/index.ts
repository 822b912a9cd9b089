import { Env } from '../../shared/env';
import { depsFromEnv } from './deps';
import { createHandler } from './handler';

export const handler = createHandler(depsFromEnv(new Env(process.env)));
