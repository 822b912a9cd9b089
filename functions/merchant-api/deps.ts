import { type Env, phoneProofKeyOf, s3Client, schedulerClient, sqsClient } from '../../shared/env';
import { sqsOutboundQueue } from '../../shared/queue/sqs-outbound-queue';
import { campaignSchedules, reminderSchedules, type ScheduleGroupDefinition } from '../../shared/resources';
import { eventBridgeCampaignScheduler } from '../../shared/scheduler/event-bridge-campaign-scheduler';
import { eventBridgeReminderScheduler } from '../../shared/scheduler/event-bridge-reminder-scheduler';
import { type ApiThrottle, apiThrottle } from '../../shared/store/api-throttle';
import { audienceReader } from '../../shared/store/audience-members';
import { audiencesStore } from '../../shared/store/audiences';
import { auditStore } from '../../shared/store/audit';
import { benefitsStore } from '../../shared/store/benefits';
import { campaignsStore } from '../../shared/store/campaigns';
import { careStore } from '../../shared/store/care';
import { dailyStatsReader } from '../../shared/store/daily-stats';
import { type DirectoryStore, directoryStore } from '../../shared/store/directory';
import { exchangesStore } from '../../shared/store/exchanges';
import { importFiles } from '../../shared/store/import-files';
import { importsStore } from '../../shared/store/imports';
import { jobsStore } from '../../shared/store/jobs';
import { keywordAppsStore } from '../../shared/store/keyword-apps';
import { ledgerStore } from '../../shared/store/ledger';
import { consentReader, membersStore } from '../../shared/store/members';
import { outboxWriter } from '../../shared/store/outbox';
import { personalDataStore } from '../../shared/store/personal-data';
import { referralsStore } from '../../shared/store/referrals';
import { remindersStore } from '../../shared/store/reminders';
import { retentionStore } from '../../shared/store/retention';
import { signInStore } from '../../shared/store/sign-in';
import { staffStore } from '../../shared/store/staff';
import { surveysStore } from '../../shared/store/surveys';
import { templatesStore } from '../../shared/store/templates';
import { ticketsStore } from '../../shared/store/tickets';
import { tiersStore } from '../../shared/store/tiers';
import type { ApiKeyRoutesDeps } from './api-keys';
import type { AudienceRoutesDeps } from './audiences';
import type { AuditRoutesDeps } from './audit';
import type { AuthDeps } from './auth';
import type { BenefitRoutesDeps } from './benefits';
import type { CampaignRoutesDeps } from './campaigns';
import type { CareRoutesDeps } from './care';
import type { ConsentRoutesDeps } from './consent';
import type { CouponRoutesDeps } from './coupons';
import type { DailyStatsRoutesDeps } from './daily-stats';
import type { ImportRoutesDeps } from './imports';
import type { KeywordAppRoutesDeps } from './keyword-apps';
import type { LedgerRoutesDeps } from './ledger';
import type { MemberRightsRoutesDeps } from './member-rights';
import type { MemberRoutesDeps } from './members';
import type { PackageRoutesDeps } from './packages';
import type { RecordChangesDeps } from './record-changes';
import type { ReferralRoutesDeps } from './referrals';
import type { ReminderRoutesDeps } from './reminders';
import type { RetentionRoutesDeps } from './retention';
import type { SignInRoutesDeps } from './sign-in';
import type { StaffRoutesDeps } from './staff';
import type { SurveyRoutesDeps } from './surveys';
import type { TemplateRoutesDeps } from './templates';
import type { TicketRoutesDeps } from './tickets';

/** What every route and the caller's authentication need: the stores, queues and schedulers of the API. */
export type MerchantApiDeps = MemberRoutesDeps &
  PackageRoutesDeps &
  LedgerRoutesDeps &
  BenefitRoutesDeps &
  CouponRoutesDeps &
  ImportRoutesDeps &
  CareRoutesDeps &
  ReminderRoutesDeps &
  CampaignRoutesDeps &
  ConsentRoutesDeps &
  MemberRightsRoutesDeps &
  TemplateRoutesDeps &
  AudienceRoutesDeps &
  RetentionRoutesDeps &
  SurveyRoutesDeps &
  TicketRoutesDeps &
  KeywordAppRoutesDeps &
  ApiKeyRoutesDeps &
  StaffRoutesDeps &
  SignInRoutesDeps &
  AuditRoutesDeps &
  DailyStatsRoutesDeps &
  AuthDeps &
  RecordChangesDeps &
  ReferralRoutesDeps & { directory: DirectoryStore; apiThrottle: ApiThrottle };

export function depsFromEnv(env: Env): MerchantApiDeps {
  const scheduleTarget = (declared: ScheduleGroupDefinition) => ({
    group: env.get(declared.groupEnvVar),
    roleArn: env.get(declared.roleEnvVar),
    targetArn: env.get(declared.targetEnvVar),
  });
  return {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    apiThrottle: apiThrottle(env.dynamo(), env.table('sendLimits')),
    members: membersStore(env.dynamo(), env.table('members'), env.table('outbox')),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), env.table('members'), env.table('outbox')),
    benefits: benefitsStore(env.dynamo(), env.table('benefits'), { outbox: env.table('outbox') }),
    exchanges: exchangesStore(env.dynamo(), {
      benefits: env.table('benefits'),
      ledger: env.table('ledger'),
      members: env.table('members'),
      outbox: env.table('outbox'),
    }),
    imports: importsStore(env.dynamo(), env.table('imports')),
    importFiles: importFiles(s3Client(env), env.bucket('imports')),
    tiers: tiersStore(env.dynamo(), env.table('members'), env.table('outbox')),
    care: careStore(env.dynamo(), env.table('care'), env.table('members')),
    jobs: jobsStore(env.dynamo(), env.table('directory')),
    reminders: remindersStore(env.dynamo(), env.table('care')),
    templates: templatesStore(env.dynamo(), env.table('campaigns')),
    audiences: audiencesStore(env.dynamo(), env.table('campaigns')),
    audienceReader: audienceReader(env.dynamo(), env.table('members')),
    consents: consentReader(env.dynamo(), env.table('members')),
    scheduler: eventBridgeReminderScheduler(schedulerClient(env), scheduleTarget(reminderSchedules)),
    campaigns: campaignsStore(env.dynamo(), env.table('campaigns')),
    campaignScheduler: eventBridgeCampaignScheduler(schedulerClient(env), scheduleTarget(campaignSchedules)),
    outbound: sqsOutboundQueue(sqsClient(env), env.queueUrl('outbound')),
    retention: retentionStore(env.dynamo(), env.table('retention')),
    surveys: surveysStore(env.dynamo(), env.table('engagement')),
    tickets: ticketsStore(env.dynamo(), env.table('engagement')),
    keywordApps: keywordAppsStore(env.dynamo(), env.table('engagement')),
    staff: staffStore(env.dynamo(), env.table('directory')),
    signIn: signInStore(env.dynamo(), env.table('sessions')),
    audit: auditStore(env.dynamo(), env.table('audit')),
    dailyStats: dailyStatsReader(env.dynamo(), env.table('dailyStats')),
    personalData: personalDataStore(env.dynamo(), {
      members: env.table('members'),
      ledger: env.table('ledger'),
      benefits: env.table('benefits'),
      messages: env.table('messages'),
      engagement: env.table('engagement'),
      care: env.table('care'),
      audit: env.table('audit'),
      outbox: env.table('outbox'),
    }),
    phoneProofKey: phoneProofKeyOf(env),
    referrals: referralsStore(env.dynamo(), env.table('members')),
    outbox: outboxWriter(env.dynamo(), env.table('outbox')),
    clock: () => new Date(),
  };
}
