import {
  AppstoreAddOutlined,
  AuditOutlined,
  ClockCircleOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FormOutlined,
  GiftOutlined,
  HeartOutlined,
  IdcardOutlined,
  ImportOutlined,
  KeyOutlined,
  MessageOutlined,
  MobileOutlined,
  NotificationOutlined,
  RiseOutlined,
  SettingOutlined,
  ShareAltOutlined,
  ShopOutlined,
  TeamOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import type { ComponentType } from 'react';
import type { MessageKey } from '../lib/i18n';
import { onLocalRuntime } from '../lib/local-runtime';
import type { AccessFlag } from './access';

/** A page of the console: the menu is built from these, in this order, for those its flag allows. */
export interface AppRoute {
  path: string;
  /** Its name in the menu and the window title. */
  name: MessageKey;
  icon: ComponentType;
  access: AccessFlag;
  /** A page reached from another rather than from the menu: the menu entry that stands for it. */
  inMenuAs?: string;
  /** A page of the local runtime alone (the phone simulator): absent from the console AWS serves. */
  localOnly?: true;
  /** Its code, loaded the first time it opens: each page is a chunk of its own. */
  lazy: () => Promise<{ Component: ComponentType }>;
}

const declaredRoutes: readonly AppRoute[] = [
  {
    path: '/dashboard',
    name: 'menu.dashboard',
    icon: DashboardOutlined,
    access: 'canSeeNumbers',
    lazy: () =>
      import('../features/dashboard/pages/dashboard-page').then((m) => ({ Component: m.DashboardPage })),
  },
  {
    path: '/counter',
    name: 'menu.counter',
    icon: ShopOutlined,
    access: 'canServeCounter',
    lazy: () => import('../features/members/pages/counter-page').then((m) => ({ Component: m.CounterPage })),
  },
  {
    path: '/members',
    name: 'menu.members',
    icon: TeamOutlined,
    access: 'canManageMembers',
    lazy: () => import('../features/members/pages/members-page').then((m) => ({ Component: m.MembersPage })),
  },
  {
    path: '/members/:phone',
    name: 'menu.members',
    icon: TeamOutlined,
    access: 'canManageMembers',
    inMenuAs: '/members',
    lazy: () => import('../features/members/pages/member-page').then((m) => ({ Component: m.MemberPage })),
  },
  {
    path: '/imports',
    name: 'menu.imports',
    icon: ImportOutlined,
    access: 'canManageMembers',
    lazy: () => import('../features/imports/pages/import-page').then((m) => ({ Component: m.ImportPage })),
  },
  {
    path: '/benefits',
    name: 'menu.benefits',
    icon: GiftOutlined,
    access: 'canMarket',
    lazy: () =>
      import('../features/benefits/pages/benefits-page').then((m) => ({ Component: m.BenefitsPage })),
  },
  {
    path: '/templates',
    name: 'menu.templates',
    icon: MessageOutlined,
    access: 'canMarket',
    lazy: () =>
      import('../features/templates/pages/templates-page').then((m) => ({ Component: m.TemplatesPage })),
  },
  {
    path: '/templates/:templateId',
    name: 'menu.templates',
    icon: MessageOutlined,
    access: 'canMarket',
    inMenuAs: '/templates',
    lazy: () =>
      import('../features/templates/pages/template-page').then((m) => ({ Component: m.TemplatePage })),
  },
  {
    path: '/audiences',
    name: 'menu.audiences',
    icon: UsergroupAddOutlined,
    access: 'canMarket',
    lazy: () =>
      import('../features/audiences/pages/audiences-page').then((m) => ({ Component: m.AudiencesPage })),
  },
  {
    path: '/audiences/:audienceId',
    name: 'menu.audiences',
    icon: UsergroupAddOutlined,
    access: 'canMarket',
    inMenuAs: '/audiences',
    lazy: () =>
      import('../features/audiences/pages/audience-page').then((m) => ({ Component: m.AudiencePage })),
  },
  {
    path: '/campaigns',
    name: 'menu.campaigns',
    icon: NotificationOutlined,
    access: 'canMarket',
    lazy: () =>
      import('../features/campaigns/pages/campaigns-page').then((m) => ({ Component: m.CampaignsPage })),
  },
  {
    path: '/campaigns/new',
    name: 'menu.campaigns',
    icon: NotificationOutlined,
    access: 'canMarket',
    inMenuAs: '/campaigns',
    lazy: () =>
      import('../features/campaigns/pages/composer-page').then((m) => ({ Component: m.ComposerPage })),
  },
  {
    path: '/campaigns/:campaignId',
    name: 'menu.campaigns',
    icon: NotificationOutlined,
    access: 'canMarket',
    inMenuAs: '/campaigns',
    lazy: () =>
      import('../features/campaigns/pages/campaign-page').then((m) => ({ Component: m.CampaignPage })),
  },
  {
    path: '/care',
    name: 'menu.care',
    icon: HeartOutlined,
    access: 'canMarket',
    lazy: () => import('../features/care/pages/care-page').then((m) => ({ Component: m.CarePage })),
  },
  {
    path: '/reminders',
    name: 'menu.reminders',
    icon: ClockCircleOutlined,
    access: 'canMarket',
    lazy: () =>
      import('../features/reminders/pages/reminders-page').then((m) => ({ Component: m.RemindersPage })),
  },
  {
    path: '/keyword-apps',
    name: 'menu.keywordApps',
    icon: AppstoreAddOutlined,
    access: 'canMarket',
    lazy: () =>
      import('../features/keyword-apps/pages/keyword-apps-page').then((m) => ({
        Component: m.KeywordAppsPage,
      })),
  },
  {
    path: '/keyword-apps/new',
    name: 'menu.keywordApps',
    icon: AppstoreAddOutlined,
    access: 'canMarket',
    inMenuAs: '/keyword-apps',
    lazy: () =>
      import('../features/keyword-apps/pages/keyword-app-wizard-page').then((m) => ({
        Component: m.KeywordAppWizardPage,
      })),
  },
  {
    path: '/surveys',
    name: 'menu.surveys',
    icon: FormOutlined,
    access: 'canMarket',
    lazy: () => import('../features/surveys/pages/surveys-page').then((m) => ({ Component: m.SurveysPage })),
  },
  {
    path: '/surveys/new',
    name: 'menu.surveys',
    icon: FormOutlined,
    access: 'canMarket',
    inMenuAs: '/surveys',
    lazy: () =>
      import('../features/surveys/pages/survey-new-page').then((m) => ({ Component: m.SurveyNewPage })),
  },
  {
    path: '/surveys/:surveyId',
    name: 'menu.surveys',
    icon: FormOutlined,
    access: 'canMarket',
    inMenuAs: '/surveys',
    lazy: () => import('../features/surveys/pages/survey-page').then((m) => ({ Component: m.SurveyPage })),
  },
  {
    path: '/retention',
    name: 'menu.retention',
    icon: RiseOutlined,
    access: 'canMarket',
    lazy: () =>
      import('../features/retention/pages/retention-page').then((m) => ({ Component: m.RetentionPage })),
  },
  {
    path: '/referrals',
    name: 'menu.referrals',
    icon: ShareAltOutlined,
    access: 'canMarket',
    lazy: () =>
      import('../features/referrals/pages/referrals-page').then((m) => ({ Component: m.ReferralsPage })),
  },
  {
    path: '/tickets',
    name: 'menu.tickets',
    icon: CustomerServiceOutlined,
    access: 'canMarket',
    lazy: () => import('../features/tickets/pages/tickets-page').then((m) => ({ Component: m.TicketsPage })),
  },
  {
    path: '/tickets/:ticketId',
    name: 'menu.tickets',
    icon: CustomerServiceOutlined,
    access: 'canMarket',
    inMenuAs: '/tickets',
    lazy: () => import('../features/tickets/pages/ticket-page').then((m) => ({ Component: m.TicketPage })),
  },
  {
    path: '/phone',
    name: 'menu.phone',
    icon: MobileOutlined,
    access: 'canMarket',
    localOnly: true,
    lazy: () => import('../features/phone/pages/phone-page').then((m) => ({ Component: m.PhonePage })),
  },
  {
    path: '/settings',
    name: 'menu.settings',
    icon: SettingOutlined,
    access: 'canManageSettings',
    lazy: () =>
      import('../features/settings/pages/settings-page').then((m) => ({ Component: m.SettingsPage })),
  },
  {
    path: '/stores',
    name: 'menu.stores',
    icon: EnvironmentOutlined,
    access: 'canManageStaff',
    lazy: () => import('../features/stores/pages/stores-page').then((m) => ({ Component: m.StoresPage })),
  },
  {
    path: '/staff',
    name: 'menu.staff',
    icon: IdcardOutlined,
    access: 'canManageStaff',
    lazy: () => import('../features/team/pages/staff-page').then((m) => ({ Component: m.StaffPage })),
  },
  {
    path: '/api-keys',
    name: 'menu.apiKeys',
    icon: KeyOutlined,
    access: 'canManageStaff',
    lazy: () => import('../features/team/pages/api-keys-page').then((m) => ({ Component: m.ApiKeysPage })),
  },
  {
    path: '/audit',
    name: 'menu.audit',
    icon: AuditOutlined,
    access: 'canManageStaff',
    lazy: () => import('../features/team/pages/audit-page').then((m) => ({ Component: m.AuditPage })),
  },
];

/** The console's pages here: those of the local runtime only where the console runs on it. */
export const appRoutes: readonly AppRoute[] = declaredRoutes.filter(
  (route) => !route.localOnly || onLocalRuntime(),
);
