import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (service name and level from POWERTOOLS_* variables). Never log a raw phone. */
export const logger = new Logger();
