import { Env } from '../../shared/env';
import { createHandler, depsFromEnv } from './handler';

export const handler = createHandler(depsFromEnv(new Env(process.env)));
