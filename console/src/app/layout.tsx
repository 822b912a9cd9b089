import { LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Flex, Layout, Menu, Result, Typography, theme } from 'antd';
import { useEffect, useState } from 'react';
import { Link, Navigate, Outlet, useLocation, useMatches, useNavigation } from 'react-router';
import { LanguageSwitch } from '../components/language-switch';
import { PageLoading } from '../components/page-loading';
import { useEndSession } from '../features/auth/api/end-session';
import { useSession } from '../features/auth/api/get-session';
import { openTicketsKey, useOpenTicketCount } from '../features/tickets/api/tickets';
import { useT } from '../lib/i18n';
import { usePhoneScreen } from '../lib/use-phone-screen';
import { access, allowedRoutes } from './access';
import { type AppRoute, appRoutes } from './routes';

/**
 * The frame of every page once signed in: the menu of the pages the staff member's role allows
 * (beside the page on a desktop, in a drawer on a phone), the language switch and signing out.
 */
export function AppLayout() {
  const t = useT();
  const { token } = theme.useToken();
  const { message } = App.useApp();
  const session = useSession();
  const staff = session.data;
  const location = useLocation();
  const navigation = useNavigation();
  const route = useMatches().at(-1)?.handle as AppRoute | undefined;
  const phone = usePhoneScreen();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const signOut = useEndSession();
  const queries = useQueryClient();
  const canMarket = staff ? access(staff).canMarket : false;
  const openTickets = useOpenTicketCount(canMarket);

  // Each page opened asks the open tickets again (one item read): the count beside Tickets stays fresh.
  const openedPath = location.pathname;
  useEffect(() => {
    if (canMarket && openedPath) void queries.invalidateQueries({ queryKey: openTicketsKey, exact: true });
  }, [openedPath, canMarket, queries]);

  useEffect(() => {
    document.title = route ? `${t(route.name)} · ${t('app.title')}` : t('app.title');
  }, [route, t]);

  // The router's error page says what went wrong (a lost connection, with a retry): never a blank page.
  if (session.error) throw session.error;
  if (session.isPending) return <PageLoading />;
  if (!staff) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  const flags = access(staff);
  const menu = (
    <Menu
      mode="inline"
      style={{ borderInlineEnd: 'none' }}
      selectedKeys={route ? [route.inMenuAs ?? route.path] : []}
      onClick={() => setDrawerOpen(false)}
      items={allowedRoutes(appRoutes, flags).map((allowed) => ({
        key: allowed.path,
        icon: <allowed.icon />,
        label:
          allowed.path === '/tickets' && openTickets.data ? (
            <Flex justify="space-between" align="center" gap={8}>
              <Link to={allowed.path}>{t(allowed.name)}</Link>
              {/* A plain pill rather than antd's Badge, whose motion code would weigh on every page's first load. */}
              <span
                role="status"
                aria-label={t('tickets.openCount', { n: openTickets.data })}
                style={{
                  minWidth: 18,
                  padding: '0 6px',
                  borderRadius: 9,
                  fontSize: 12,
                  lineHeight: '18px',
                  textAlign: 'center',
                  color: token.colorTextLightSolid,
                  background: token.colorError,
                }}
              >
                {openTickets.data > 99 ? '99+' : openTickets.data}
              </span>
            </Flex>
          ) : (
            <Link to={allowed.path}>{t(allowed.name)}</Link>
          ),
      }))}
    />
  );
  const signOutLabel = t('layout.signOut');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider
          theme="light"
          collapsible
          breakpoint="lg"
          width={208}
          // Beside a long page the menu stays in view, its full height, as the page scrolls. A menu
          // taller than the window scrolls on its own, above the collapse button, never under it.
          style={{
            borderInlineEnd: `1px solid ${token.colorBorderSecondary}`,
            position: 'sticky',
            top: 0,
            height: '100vh',
          }}
        >
          <div style={{ height: '100%', overflowY: 'auto' }}>{menu}</div>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            padding: phone ? '0 8px' : '0 24px',
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          {phone && (
            // On a phone the menu is folded away: a dot on its button says tickets are waiting.
            <span style={{ position: 'relative', display: 'inline-flex' }}>
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={
                  openTickets.data
                    ? `${t('layout.openMenu')} · ${t('tickets.openCount', { n: openTickets.data })}`
                    : t('layout.openMenu')
                }
                onClick={() => setDrawerOpen(true)}
              />
              {openTickets.data ? (
                <span
                  style={{
                    position: 'absolute',
                    top: 4,
                    right: 4,
                    width: 8,
                    height: 8,
                    borderRadius: 4,
                    background: token.colorError,
                    pointerEvents: 'none',
                  }}
                />
              ) : null}
            </span>
          )}
          <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
            {t('app.title')}
          </Typography.Text>
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: phone ? 96 : 320 }}>
            {phone ? staff.name : `${staff.name} · ${t(`role.${staff.role}`)} · ${staff.phone}`}
          </Typography.Text>
          <LanguageSwitch />
          <Button
            type="text"
            icon={<LogoutOutlined />}
            aria-label={phone ? signOutLabel : undefined}
            loading={signOut.isPending}
            onClick={() =>
              signOut.mutate(undefined, {
                onError: (error) => message.error(`${signOutLabel}: ${error.message}`),
              })
            }
          >
            {phone ? null : signOutLabel}
          </Button>
        </Layout.Header>
        <Layout.Content style={{ padding: phone ? 12 : 24 }}>
          {/* Only a move to another page shows the loading state: a page whose query changes stays mounted,
              with what is typed in it. */}
          {navigation.state === 'loading' && navigation.location?.pathname !== location.pathname ? (
            <PageLoading />
          ) : route && !flags[route.access] ? (
            <Result status="403" title={t('page.forbidden')} />
          ) : (
            <Outlet />
          )}
        </Layout.Content>
      </Layout>
      {phone && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          title={t('app.title')}
          size={260}
          styles={{ body: { padding: 8 } }}
        >
          {menu}
        </Drawer>
      )}
    </Layout>
  );
}
