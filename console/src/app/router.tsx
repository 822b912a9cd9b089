import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { PageLoading } from '../components/page-loading';
import { useStaff } from '../features/auth/api/get-session';
import { access, allowedRoutes } from './access';
import { AppLayout } from './layout';
import { NotFound } from './not-found';
import { RouteError } from './route-error';
import { appRoutes } from './routes';

/** "/" opens the first page the staff member's role allows: the dashboard, or the counter for a cashier. */
function StartPage() {
  const [first] = allowedRoutes(appRoutes, access(useStaff()));
  return first ? <Navigate to={first.path} replace /> : <NotFound />;
}

/**
 * A page's code, loaded when first opened. React Router keeps a route whose `lazy` failed pending and
 * renders nothing for it; a page that throws the failure instead shows the route's error page.
 */
const page =
  (load: () => Promise<{ Component: ComponentType }>) => (): Promise<{ Component: ComponentType }> =>
    load().catch((error: unknown) => ({
      Component: () => {
        throw error;
      },
    }));

const router = createBrowserRouter([
  {
    path: '/sign-in',
    lazy: page(() =>
      import('../features/auth/pages/sign-in-page').then((m) => ({ Component: m.SignInPage })),
    ),
    hydrateFallbackElement: <PageLoading />,
    errorElement: <RouteError />,
  },
  {
    path: '/',
    element: <AppLayout />,
    hydrateFallbackElement: <PageLoading />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <StartPage /> },
      ...appRoutes.map((route) => ({
        path: route.path,
        lazy: page(route.lazy),
        handle: route,
        // A page that fails shows its error inside the frame, with the menu still there.
        errorElement: <RouteError />,
      })),
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export const AppRouter = () => <RouterProvider router={router} />;
