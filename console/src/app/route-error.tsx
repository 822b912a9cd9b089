import { isRouteErrorResponse, useRouteError } from 'react-router';
import { Failure } from '../components/failure';
import { NotFound } from './not-found';

/**
 * A route's error page. A page whose code failed to load is retried by loading the console again,
 * which also picks up a newer deployment's files.
 */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  return <Failure error={error} onRetry={() => window.location.reload()} />;
}
