import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './errors';

/** A refusal (4xx) answers the same when asked again; a lost connection or a server error may not. */
const worthRetrying = (error: unknown) => !(error instanceof ApiError && error.status < 500);

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failures, error) => failures < 2 && worthRetrying(error),
      staleTime: 30_000,
    },
  },
});
