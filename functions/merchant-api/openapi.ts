import { z } from 'zod';
import { version } from '../../package.json';
import type { Balances, Book, EntryType } from '../../shared/domain/ledger';
import { httpRoutes } from '../../shared/resources';
import { benefitInputSchema, benefitSchema, claimSchema } from '../../shared/schemas/benefit';
import {
  marketingConsentSchema,
  memberPatchSchema,
  memberSchema,
  newMemberSchema,
} from '../../shared/schemas/member';
import { loyaltySettingsSchema, sendingSettingsSchema } from '../../shared/schemas/merchant';
import type { Entry } from '../../shared/store/ledger';
import { apiKeyRouteDocs, throttledAnswer } from './api-keys';
import {
  audienceAnswerSchema,
  audiencePreviewAnswerSchema,
  audiencePreviewSchema,
  audiencesPageSchema,
  audiencesQuerySchema,
  maxPreviewSample,
  newAudienceSchema,
} from './audiences';
import { claimBodySchema } from './benefits';
import {
  campaignAnswerSchema,
  campaignBodySchema,
  campaignStatsAnswerSchema,
  campaignsPageSchema,
  campaignsQuerySchema,
  campaignTestAnswerSchema,
} from './campaigns';
import { carePreviewQuery, careSettingsSchema } from './care';
import {
  clearedAnswerSchema,
  consentAnswerSchema,
  consentChangeSchema,
  consentExportSchema,
  suppressionClearSchema,
} from './consent';
import type { RouteKey } from './handler';
import { idempotencyKeySchema, json, maxBodyBytes, type Request, type Response } from './http';
import {
  createdImportSchema,
  importAnswerSchema,
  importsPageSchema,
  importsQuerySchema,
  newImportSchema,
  uploadValidSeconds,
} from './imports';
import { keywordAppRouteDocs } from './keyword-apps';
import { historyQuery, bodies as ledgerBodies } from './ledger';
import { listQuerySchema, packageBodySchema } from './members';
import {
  reminderAnswerSchema,
  reminderBodySchema,
  remindersPageSchema,
  remindersQuerySchema,
} from './reminders';
import { retentionRouteDocs } from './retention';
import {
  anyOf,
  invalidBody,
  invalidKey,
  invalidPhone,
  invalidQuery,
  type Operation,
  phone,
  type RouteDoc,
  replayed,
} from './route-docs';
import { loyaltySettingsBody, sendingSettingsBody } from './settings';
import { surveyRouteDocs } from './surveys';
import {
  newTemplateSchema,
  previewAnswerSchema,
  templateAnswerSchema,
  templatePreviewSchema,
  templateRegistrationSchema,
  templatesPageSchema,
  templatesQuerySchema,
} from './templates';
import { ticketRouteDocs } from './tickets';

/**
 * The merchant API as an OpenAPI 3.1 document, served at `GET /v1/openapi.json`. Request schemas
 * are the zod schemas the routes parse, so the document cannot describe a body the API refuses.
 */

// Answers whose shape no schema in the code describes: they are built in the route modules.

const memberProfile = memberSchema.omit({
  merchantId: true,
  joinRef: true,
  pointsConsumed: true,
  activity: true,
});
const memberAnswer = z.object({
  member: memberProfile.extend({
    marketing: marketingConsentSchema.pick({ status: true, changedAt: true, channel: true }).optional(),
  }),
});

const books: { [B in Book]: B } = { points: 'points', storedValue: 'storedValue' };
const entryTypes: { [T in EntryType]: T } = {
  earn: 'earn',
  redeem: 'redeem',
  adjust: 'adjust',
  expire: 'expire',
  'top-up': 'top-up',
  spend: 'spend',
};
const entrySchema = z.object({
  entryId: z.string(),
  book: z.enum(books),
  type: z.enum(entryTypes),
  delta: z.int(),
  reason: z.string().optional(),
  purchaseCents: z.int().optional(),
  expiresOn: z.iso.date().optional(),
  idempotencyKey: z.string(),
  at: z.iso.datetime(),
}) satisfies z.ZodType<Entry>;
const balancesSchema = z.object({
  points: z.int().nonnegative(),
  storedValue: z.int().nonnegative(),
}) satisfies z.ZodType<Balances>;
const postingAnswer = z.object({ entry: entrySchema, balances: balancesSchema, replayed: z.boolean() });
const claimAnswer = z.object({ claim: claimSchema, replayed: z.boolean() });

/** The body of every error: `HttpError` in http.ts, as `httpErrors()` writes it. */
const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

// The date only moves a birthday refinement, which JSON Schema cannot express.
const anyDay = '2000-01-01';
const notMember = 'The phone is not (or no longer) a member';
const neverMember = 'The phone has never been a member';
const keyReused = 'The idempotency key was already used for a different operation';
const campaign = { campaignId: 'The id `POST /v1/campaigns` answered with' };
const noCampaign = 'There is no campaign with the id';

function ledgerOperation(summary: string, description: string, body: z.ZodType, debit: boolean) {
  return {
    summary,
    description: `${description} Once per idempotency key: a retry answers as the first call did.`,
    pathParameters: phone,
    body,
    idempotencyKey: true,
    responses: {
      201: { description: 'Written to the ledger', body: postingAnswer },
      200: { description: replayed, body: postingAnswer },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey),
      404: notMember,
      409: debit ? `${keyReused}, or the balance is too small (it never goes below zero)` : keyReused,
    },
  } as const;
}

/** Every route of shared/resources.ts must be documented here, or this does not compile. */
const routeDocs: { [Key in RouteKey]: RouteDoc<Key> } = {
  'GET /v1/members/{phone}': {
    summary: 'Look up a member',
    description:
      'A member: profile, points and stored-value balances, tier, and whether they take marketing texts.',
    pathParameters: phone,
    responses: { 200: { description: 'The member', body: memberAnswer } },
    errors: { 400: anyOf(invalidPhone), 404: notMember },
  },
  'GET /v1/members': {
    summary: 'List members',
    description:
      'Your members, newest first, a page at a time, optionally only those with a tag or a tier. ' +
      'Pass the `cursor` of a page to get the next one; the last page has none.',
    query: listQuerySchema,
    responses: {
      200: {
        description: 'A page of members',
        body: z.object({ members: z.array(memberProfile), cursor: z.string().optional() }),
      },
    },
    errors: { 400: anyOf(invalidQuery) },
  },
  'POST /v1/members': {
    summary: 'Add a member',
    description:
      'Adds a member with the phone and any profile fields. A phone that is or was a member is refused.',
    body: newMemberSchema(anyDay),
    responses: { 201: { description: 'The new member', body: memberAnswer } },
    errors: {
      400: anyOf(invalidBody, 'the phone is not a mobile number'),
      409: 'The phone is already a member, or was one and was deleted',
    },
  },
  'PATCH /v1/members/{phone}': {
    summary: "Change a member's profile",
    description:
      'Fields left out stay as they are and `null` clears one; `tags` replaces the list; `attributes` ' +
      'merges, and an attribute set to `null` is removed. Points and tiers are not changed here.',
    pathParameters: phone,
    body: memberPatchSchema(anyDay),
    responses: { 200: { description: 'The member as changed', body: memberAnswer } },
    errors: {
      400: anyOf(invalidPhone, invalidBody),
      404: notMember,
      409: 'The member was being changed at the same time; try again',
    },
  },
  'DELETE /v1/members/{phone}': {
    summary: 'Delete a member',
    description:
      'The member leaves your lists and the API; their ledger is kept. Deleting again answers as the first time.',
    pathParameters: phone,
    responses: {
      200: {
        description: 'Deleted, and when',
        body: z.object({ deleted: z.literal(true), deletedAt: z.iso.datetime() }),
      },
    },
    errors: { 400: anyOf(invalidPhone), 404: 'The phone is not a member' },
  },
  'POST /v1/members/{phone}/points': ledgerOperation(
    'Award points',
    'Awards either a bonus (`points`) or the points a purchase earns at your rate (`purchaseCents`).',
    ledgerBodies.earn,
    false,
  ),
  'POST /v1/members/{phone}/points/redeem': ledgerOperation(
    'Redeem points',
    "Takes points from the member's balance, the soonest to expire first.",
    ledgerBodies.redeem,
    true,
  ),
  'POST /v1/members/{phone}/points/adjust': ledgerOperation(
    'Correct a points balance',
    'Adds (positive) or removes (negative) points, with the reason for the correction.',
    ledgerBodies.adjust,
    true,
  ),
  'POST /v1/members/{phone}/stored-value/top-up': ledgerOperation(
    'Top up stored value',
    "Adds cents to the member's prepaid balance.",
    ledgerBodies['top-up'],
    false,
  ),
  'POST /v1/members/{phone}/stored-value/spend': ledgerOperation(
    'Spend stored value',
    "Takes cents from the member's prepaid balance.",
    ledgerBodies.spend,
    true,
  ),
  'GET /v1/members/{phone}/ledger': {
    summary: "A member's ledger",
    description:
      'Every points and stored-value entry, newest first, a page at a time, optionally of one `book`. ' +
      'Pass the `cursor` of a page to get the next one.',
    pathParameters: phone,
    query: historyQuery,
    responses: {
      200: {
        description: 'A page of entries',
        body: z.object({ entries: z.array(entrySchema), cursor: z.string().optional() }),
      },
    },
    errors: {
      400: anyOf(invalidPhone, invalidQuery),
      404: neverMember,
    },
  },
  'POST /v1/members/{phone}/package': {
    summary: 'Sell a membership package',
    description:
      'The member bought a package: it raises their tier at once and holds it until `endsAt`, when the ' +
      'tier falls back to what their score earns. Once per idempotency key.',
    pathParameters: phone,
    body: packageBodySchema,
    idempotencyKey: true,
    responses: {
      200: {
        description: "The member's tier and the package",
        body: z.object({
          tier: z.string(),
          tierPackage: z.object({ tier: z.string(), endsAt: z.iso.datetime() }),
        }),
      },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey, 'the tier is not one of yours, or `endsAt` is past'),
      404: notMember,
      409: 'The member was being changed at the same time; try again',
    },
  },
  'POST /v1/members/{phone}/claims': {
    summary: 'Claim a benefit for a member',
    description:
      'Claims a benefit as the member would by text. Once per idempotency key: a retry answers as the first call did.',
    pathParameters: phone,
    body: claimBodySchema,
    idempotencyKey: true,
    responses: {
      201: { description: 'The claim', body: claimAnswer },
      200: { description: replayed, body: claimAnswer },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey),
      403: "The member's tier may not claim it, or it is claimable only on the member's birthday",
      404: 'The phone is not a member, or there is no benefit with the code',
      409: 'The benefit is stopped, already claimed in this period, or out of stock',
    },
  },
  'GET /v1/members/{phone}/claims': {
    summary: "A member's claims",
    description: "The member's claims, newest first, each with whether it is still valid.",
    pathParameters: phone,
    responses: {
      200: {
        description: 'The claims',
        body: z.object({
          claims: z.array(claimSchema.extend({ state: z.enum(['active', 'expired']) })),
        }),
      },
    },
    errors: { 400: anyOf(invalidPhone), 404: neverMember },
  },
  'GET /v1/settings/loyalty': {
    summary: 'Loyalty settings',
    description: 'Points per yuan of a purchase, the points expiry policy and the tier table.',
    responses: { 200: { description: 'The settings', body: z.object({ loyalty: loyaltySettingsSchema }) } },
    errors: {},
  },
  'PUT /v1/settings/loyalty': {
    summary: 'Set the earn rate, points expiry and tiers',
    description:
      'Replaces the loyalty settings. Tiers: ascending thresholds starting at 0 (default silver 0, ' +
      'gold 1000, platinum 2000, diamond 4000). A new tier table applies from the next evaluation: ' +
      'the 1st of the month for upgrades, 1 January for the yearly evaluation.',
    body: loyaltySettingsBody,
    responses: {
      200: { description: 'The settings as saved', body: z.object({ loyalty: loyaltySettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody) },
  },
  'GET /v1/settings/sending': {
    summary: 'Sending settings',
    description:
      'How your texts go out: messages per second, the quiet hours marketing waits out, frequency and ' +
      'carrier caps, the unsubscribe line, registered templates, your own opt-out words and the price per part.',
    responses: { 200: { description: 'The settings', body: z.object({ sending: sendingSettingsSchema }) } },
    errors: {},
  },
  'PUT /v1/settings/sending': {
    summary: 'Set how texts go out',
    description:
      'Replaces the sending settings; a field left out takes the default the schema shows. Texts ' +
      'already queued go out under the new settings.',
    body: sendingSettingsBody,
    responses: {
      200: { description: 'The settings as saved', body: z.object({ sending: sendingSettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody) },
  },
  'GET /v1/care/settings': {
    summary: 'Care settings',
    description:
      'Your care automations: birthday, anniversary, festival and special-day greetings and reminders.',
    responses: { 200: { description: 'The settings', body: z.object({ settings: careSettingsSchema }) } },
    errors: { 404: 'Care has not been set up yet' },
  },
  'PUT /v1/care/settings': {
    summary: 'Set up care automations',
    description:
      'Replaces the care settings. Templates may use {{name}}, {{points}}, {{tier}}, {{balance}}, ' +
      '{{expiry_date}}, {{expiring_points}}, {{merchant}}, {{benefit}}, {{years}}, {{festival}}, {{date}}; ' +
      'a template naming any other variable is refused. Texts go out only inside the send window ' +
      '(default 09:00–20:00, your time zone); greetings skip members who opted out.',
    body: careSettingsSchema,
    responses: {
      200: { description: 'The settings as saved', body: z.object({ settings: careSettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody) },
  },
  'GET /v1/care/preview': {
    summary: 'Dry run of the care texts for a date',
    description:
      'Who would get which text on `date` (your today by default), signed, with its part count, and ' +
      'which marketing texts an opt-out would stop. Nothing is sent or recorded.',
    query: carePreviewQuery,
    responses: {
      200: {
        description: 'The texts the date would bring',
        body: z.object({
          date: z.iso.date(),
          texts: z.array(
            z.object({
              occasion: z.string(),
              to: z.string(),
              text: z.string(),
              category: z.enum(['service', 'marketing']),
              segments: z.number().int(),
              skipped: z.string().optional(),
            }),
          ),
        }),
      },
    },
    errors: { 400: anyOf(invalidQuery), 404: 'Care has not been set up yet' },
  },
  'POST /v1/benefits': {
    summary: 'Create or replace a benefit',
    description:
      'Creates a benefit, or replaces the one with the same code. `stock` left out keeps the stock ' +
      'as it is (claims may have used some); `null` makes it unlimited.',
    body: benefitInputSchema,
    responses: { 200: { description: 'The benefit as stored', body: z.object({ benefit: benefitSchema }) } },
    errors: { 400: anyOf(invalidBody) },
  },
  'GET /v1/benefits': {
    summary: 'List benefits',
    description: 'Your benefit catalog, stopped benefits included, with the claims each has had.',
    responses: {
      200: { description: 'The benefits', body: z.object({ benefits: z.array(benefitSchema) }) },
    },
    errors: {},
  },
  'DELETE /v1/benefits/{code}': {
    summary: 'Stop a benefit',
    description: 'New claims are refused; claims already made stay valid.',
    pathParameters: { code: 'The benefit code, e.g. ROAM90' },
    responses: {
      200: {
        description: 'Stopped',
        body: z.object({ code: z.string(), active: z.literal(false) }),
      },
    },
    errors: { 400: 'The code is not a benefit code', 404: 'There is no benefit with the code' },
  },
  'POST /v1/imports': {
    summary: 'Start a member import',
    description:
      'Creates an import (`awaiting-upload`) and answers with a URL to PUT the file to, with the ' +
      `headers given, within ${uploadValidSeconds / 60} minutes. CSV: a header row (\`phone\`, \`name\`, ` +
      '`gender`, `birthday`, `city`, `tags` split by `;`, `attr.<name>`), then a member a row. JSON ' +
      'lines: one member object a line. The import starts when the file arrives; existing members ' +
      '(by phone) are updated, never duplicated, and importing the same rows again changes nothing.',
    body: newImportSchema,
    responses: { 201: { description: 'The import and its upload URL', body: createdImportSchema } },
    errors: { 400: anyOf(invalidBody, 'the format is not `csv` or `jsonl`') },
  },
  'GET /v1/imports': {
    summary: 'List imports',
    description:
      'Your imports, newest first, with status and counts (the row errors are on each import). ' +
      'Pass the `cursor` of a page to get the next one.',
    query: importsQuerySchema,
    responses: { 200: { description: 'A page of imports', body: importsPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/imports/{importId}': {
    summary: 'Follow an import',
    description:
      '`awaiting-upload`, `running` (with `rowsRead`), then `done` with the counts (created, updated, ' +
      'unchanged, failed) and the first 1,000 refused rows, each with its row number and reason; or ' +
      '`failed` with the `reason` the file as a whole could not be read (no member was changed).',
    pathParameters: { importId: 'The id `POST /v1/imports` answered with' },
    responses: { 200: { description: 'The import', body: importAnswerSchema } },
    errors: { 404: 'There is no import with the id' },
  },
  'POST /v1/reminders': {
    summary: 'Schedule a reminder',
    description:
      'A text at a time you choose, for one member (`to.phone`, e.g. an appointment reminder) or for up ' +
      'to 20 staff phones (`to.staff`): once (`at`, an ISO date-time with its offset, in the future) or ' +
      'recurring (`cron`: six fields, `minutes hours day-of-month month day-of-week year`, days of the ' +
      'week 1 = SUN to 7 = SAT, `?` in one of the two day fields, e.g. `0 10 ? * MON *`; read in ' +
      '`timeZone`, yours by default; at most once an hour). A member reminder is a service text and ' +
      'keeps to your send window: due outside it, it goes when the window next opens. A staff reminder ' +
      'goes at the time you set, and its template may use only {{merchant}} and {{date}}.',
    body: reminderBodySchema,
    responses: { 201: { description: 'The reminder, scheduled', body: reminderAnswerSchema } },
    errors: {
      400: anyOf(
        invalidBody,
        'a phone is not a mobile number, `at` is past, the cron expression is malformed, never fires ' +
          'again or repeats within the hour, or EventBridge Scheduler refused the schedule (`invalid_schedule`)',
      ),
      404: 'The phone is not a member',
    },
  },
  'GET /v1/reminders': {
    summary: 'List reminders',
    description:
      'Your reminders, newest first, cancelled and sent ones included; a scheduled one says when it ' +
      'fires next (`nextAt`). Pass the `cursor` of a page to get the next one.',
    query: remindersQuerySchema,
    responses: { 200: { description: 'A page of reminders', body: remindersPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/reminders/{reminderId}': {
    summary: 'A reminder',
    description:
      '`scheduled` (with `nextAt`), `sent` (a one-off, once its text was queued) or `cancelled`; ' +
      '`lastOccurrence` is the scheduled time of the last text sent.',
    pathParameters: { reminderId: 'The id `POST /v1/reminders` answered with' },
    responses: { 200: { description: 'The reminder', body: reminderAnswerSchema } },
    errors: { 404: 'There is no reminder with the id' },
  },
  'DELETE /v1/reminders/{reminderId}': {
    summary: 'Cancel a reminder',
    description:
      'No more texts: the reminder is `cancelled` and its schedule deleted. Cancelling again answers as ' +
      'the first time.',
    pathParameters: { reminderId: 'The id `POST /v1/reminders` answered with' },
    responses: { 200: { description: 'The reminder, cancelled', body: reminderAnswerSchema } },
    errors: {
      404: 'There is no reminder with the id',
      409: 'A one-off reminder that was already sent',
    },
  },
  'POST /v1/campaigns': {
    summary: 'Create a campaign',
    description:
      'A draft: one of your templates (or, by `surveyId`, a survey) to an audience (a saved one by ' +
      '`audienceId`, or a `definition`), ' +
      '`now`, `at` an instant or `recurring` on an EventBridge Scheduler cron read in your time zone ' +
      '(at most once an hour). `holdoutPercent` (0-50) of the audience is held out, the same members ' +
      'every run, to measure the campaign against. Nothing is sent until it is scheduled.',
    body: campaignBodySchema,
    responses: { 201: { description: 'The draft', body: campaignAnswerSchema } },
    errors: {
      400: anyOf(
        invalidBody,
        'the template or saved audience is not yours, the survey is not yours or closed, `at` is past, ' +
          'or the cron repeats within the hour',
      ),
    },
  },
  'GET /v1/campaigns': {
    summary: 'List campaigns',
    description: 'Your campaigns, newest first. Pass the `cursor` of a page to get the next one.',
    query: campaignsQuerySchema,
    responses: { 200: { description: 'A page of campaigns', body: campaignsPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/campaigns/{campaignId}': {
    summary: 'A campaign',
    description:
      '`draft`, `scheduled` (with `nextAt`), `running`, `paused`, `completed` or `cancelled`, with its ' +
      'latest runs: pages read, texts queued (`targeted`) and members held out.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign', body: campaignAnswerSchema } },
    errors: { 404: noCampaign },
  },
  'POST /v1/campaigns/{campaignId}/schedule': {
    summary: 'Schedule a campaign',
    description:
      'Draft to `scheduled`: its schedule is created. A campaign `now` goes within about a minute. ' +
      'Texts go inside your quiet hours window only: a run that reaches it waits for the next opening.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign, scheduled', body: campaignAnswerSchema } },
    errors: {
      400: 'EventBridge Scheduler refused the schedule',
      404: noCampaign,
      409: 'The campaign is not a draft, or its time has passed (the reason says which)',
    },
  },
  'POST /v1/campaigns/{campaignId}/pause': {
    summary: 'Pause a campaign',
    description:
      'A scheduled or running campaign stops: its schedule is deleted, and a run in progress stops ' +
      'after the page it is queueing.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign, paused', body: campaignAnswerSchema } },
    errors: { 404: noCampaign, 409: 'The campaign is a draft, already paused, completed or cancelled' },
  },
  'POST /v1/campaigns/{campaignId}/resume': {
    summary: 'Resume a campaign',
    description:
      'A paused campaign is scheduled again; a run it stopped continues where it stopped, with no member ' +
      'texted twice.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign, scheduled or running', body: campaignAnswerSchema } },
    errors: {
      400: 'EventBridge Scheduler refused the schedule',
      404: noCampaign,
      409: 'The campaign is not paused',
    },
  },
  'POST /v1/campaigns/{campaignId}/cancel': {
    summary: 'Cancel a campaign',
    description:
      'For good: its schedule is deleted, and a run in progress stops after the page it is queueing. ' +
      'Texts already queued still go.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign, cancelled', body: campaignAnswerSchema } },
    errors: { 404: noCampaign, 409: 'The campaign has completed or was cancelled' },
  },
  'POST /v1/campaigns/{campaignId}/test': {
    summary: "Send a campaign's text to its test phones",
    description:
      "The template's text, as members will read it, to the campaign's `testPhones`, now. Tests count in " +
      'no stats; each call sends again.',
    pathParameters: campaign,
    responses: { 202: { description: 'The texts queued', body: campaignTestAnswerSchema } },
    errors: { 404: noCampaign, 409: 'The campaign has no test phones, or its template was deleted' },
  },
  'GET /v1/campaigns/{campaignId}/stats': {
    summary: "A campaign's outcomes",
    description:
      'Over all its runs: texts queued (`targeted`), members held out, texts sent, delivered and failed, ' +
      'parts billed, texts not sent or waiting by reason, opt-outs within 72 hours of a text, complaints.',
    pathParameters: campaign,
    responses: { 200: { description: 'The counts', body: campaignStatsAnswerSchema } },
    errors: { 404: noCampaign },
  },
  'GET /v1/members/{phone}/consent': {
    summary: 'Proof of marketing consent',
    description:
      "The phone's marketing status and every opt-in and opt-out, oldest first, each with when, how " +
      '(text keyword, API, import, staff), its exact text or source and what caused it; and every ' +
      'complaint and who cleared it. Kept for phones that never joined, and after a member is deleted.',
    pathParameters: phone,
    responses: { 200: { description: 'The consent record', body: consentExportSchema } },
    errors: { 400: anyOf(invalidPhone) },
  },
  'POST /v1/members/{phone}/consent': {
    summary: 'Record an opt-in or opt-out',
    description:
      'Records consent the customer gave or withdrew outside texts (a signed form, at the counter), with ' +
      '`source` saying how. Marketing goes only to phones that opted in. Setting the status the phone ' +
      'already has records nothing (`changed: false`), so a retry is harmless.',
    pathParameters: phone,
    body: consentChangeSchema,
    responses: {
      201: { description: 'Recorded', body: consentAnswerSchema },
      200: { description: 'The phone already had that status: nothing recorded', body: consentAnswerSchema },
    },
    errors: { 400: anyOf(invalidPhone, invalidBody) },
  },
  'DELETE /v1/members/{phone}/suppression': {
    summary: 'Clear a complaint',
    description:
      'A complaint (投诉, 举报, or spam feedback from the carrier) stops marketing to the phone until a ' +
      'person clears it here, saying who and why. Marketing then goes again if the phone is opted in.',
    pathParameters: phone,
    body: suppressionClearSchema,
    responses: { 200: { description: 'The complaint that was cleared', body: clearedAnswerSchema } },
    errors: {
      400: anyOf(invalidPhone, invalidBody),
      404: 'No complaint holds back marketing to the phone',
      409: 'Another complaint arrived at the same time; try again',
    },
  },
  'POST /v1/templates': {
    summary: 'Create a message template',
    description:
      'A text for campaigns, with placeholders such as {{name}} and {{points}}. Give your own ' +
      '`templateId` (letters, digits, _ or -) to make a retry safe; without one, an id is made up. A ' +
      'text longer than 500 characters once signed (and, for marketing, with the unsubscribe line) is refused.',
    body: newTemplateSchema,
    responses: { 201: { description: 'The template', body: templateAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'the text as sent would be over 500 characters'),
      409: 'You already have a template with the id',
    },
  },
  'GET /v1/templates': {
    summary: 'List templates',
    description:
      'Your templates in id order, a page at a time. Pass the `cursor` of a page to get the next one.',
    query: templatesQuerySchema,
    responses: { 200: { description: 'A page of templates', body: templatesPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'POST /v1/templates/preview': {
    summary: 'Preview a text and its cost',
    description:
      'A saved template (`templateId`) or a text (`body`), filled with `values`, as a member receives it: ' +
      'signed, with the unsubscribe line on marketing; its encoding, length, parts and cost per recipient ' +
      'in fen at your price per part. Nothing is sent or saved.',
    body: templatePreviewSchema,
    responses: { 200: { description: 'The text as sent, and its cost', body: previewAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'the text as sent would be over 500 characters'),
      404: 'There is no template with the id',
    },
  },
  'GET /v1/templates/{templateId}': {
    summary: 'A template',
    description: 'The template, with its provider registration if recorded.',
    pathParameters: { templateId: 'The template id' },
    responses: { 200: { description: 'The template', body: templateAnswerSchema } },
    errors: { 404: 'There is no template with the id' },
  },
  'DELETE /v1/templates/{templateId}': {
    summary: 'Delete a template',
    description: 'The template is gone; texts already queued from it still go out.',
    pathParameters: { templateId: 'The template id' },
    responses: {
      200: { description: 'Deleted', body: z.object({ deleted: z.literal(true) }) },
    },
    errors: { 404: 'There is no template with the id' },
  },
  'PUT /v1/templates/{templateId}/registration': {
    summary: "Record the template's registration with the provider",
    description:
      "The provider's template id, the signature it was filed under (yours) and its review status. With " +
      '`requireRegisteredTemplates` in your sending settings, marketing goes only from `approved` templates.',
    pathParameters: { templateId: 'The template id' },
    body: templateRegistrationSchema,
    responses: { 200: { description: 'The template as registered', body: templateAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'the signature is not yours'),
      404: 'There is no template with the id',
    },
  },
  'POST /v1/audiences': {
    summary: 'Save an audience',
    description:
      'A named definition of which members a campaign is for: `and`, `or` and `not` over conditions ' +
      '`{field, op, value}` on member fields and facts (see `definition`). Dates, ages and days since a ' +
      'purchase are read in your time zone. Each request saves a new audience.',
    body: newAudienceSchema,
    responses: { 201: { description: 'The audience, saved', body: audienceAnswerSchema } },
    errors: {
      400: anyOf(
        invalidBody,
        'a condition names an unknown field, or an operator or value that does not fit it',
      ),
    },
  },
  'GET /v1/audiences': {
    summary: 'List saved audiences',
    description: 'Your saved audiences, newest first. Pass the `cursor` of a page to get the next one.',
    query: audiencesQuerySchema,
    responses: { 200: { description: 'A page of audiences', body: audiencesPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'POST /v1/audiences/preview': {
    summary: 'Preview an audience',
    description:
      'How many members an audience (`definition`, or a saved one by `audienceId`) holds now, and up to ' +
      `${maxPreviewSample} of them (\`sampleSize\`, 10 by default). Opted-out members are counted: consent ` +
      'is checked as each text is sent. Nothing is sent or changed.',
    body: audiencePreviewSchema,
    responses: { 200: { description: 'The count and a sample', body: audiencePreviewAnswerSchema } },
    errors: { 400: anyOf(invalidBody), 404: 'There is no saved audience with the id' },
  },
  'GET /v1/audiences/{audienceId}': {
    summary: 'A saved audience',
    description: 'Its name, definition and when it was saved.',
    pathParameters: { audienceId: 'The id `POST /v1/audiences` answered with' },
    responses: { 200: { description: 'The audience', body: audienceAnswerSchema } },
    errors: { 404: 'There is no audience with the id' },
  },
  'DELETE /v1/audiences/{audienceId}': {
    summary: 'Delete a saved audience',
    description:
      'Campaigns that name it stop at their next run; campaigns with their own definition are not affected.',
    pathParameters: { audienceId: 'The id `POST /v1/audiences` answered with' },
    responses: {
      200: {
        description: 'Deleted',
        body: z.object({ audienceId: z.string(), deleted: z.literal(true) }),
      },
    },
    errors: { 404: 'There is no audience with the id' },
  },
  'GET /v1/openapi.json': {
    summary: 'This document',
    description: 'The merchant API as an OpenAPI 3.1 document. No API key needed.',
    public: true,
    responses: {
      200: {
        description: 'The OpenAPI document',
        body: z.looseObject({ openapi: z.literal('3.1.0') }),
      },
    },
    errors: {},
  },
  ...retentionRouteDocs,
  ...surveyRouteDocs,
  ...ticketRouteDocs,
  ...keywordAppRouteDocs,
  ...apiKeyRouteDocs,
};

type JsonSchema = Record<string, unknown>;

interface OpenApiOperation {
  summary: string;
  description: string;
  parameters?: JsonSchema[];
  requestBody?: { required: true; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<
    string,
    { description: string; content?: { 'application/json': { schema: JsonSchema } } }
  >;
  security?: [];
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: { Error: JsonSchema };
    parameters: { IdempotencyKey: JsonSchema };
    securitySchemes: { apiKey: { type: 'http'; scheme: 'bearer'; description: string } };
  };
  security: [{ apiKey: [] }];
}

/** OpenAPI 3.1 schemas are JSON Schema 2020-12: requests as the API reads them, answers as it writes them. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
  // A `#/$defs/…` reference would resolve against the document's root, not the schema's.
  if ('$defs' in jsonSchema) throw new Error('schemas in the OpenAPI document must not need $defs');
  return jsonSchema;
}

const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });
const errorAnswer = (description: string) => ({
  description,
  content: jsonContent({ $ref: '#/components/schemas/Error' }),
});

/** Query strings are flat: each property of the route's query schema is one parameter. */
function queryParameters(query: z.ZodObject | undefined): JsonSchema[] {
  if (!query) return [];
  const { properties = {}, required = [] } = jsonSchemaOf(query, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    schema,
  }));
}

function operationOf(doc: Operation & { pathParameters?: Record<string, string> }): OpenApiOperation {
  const parameters = [
    ...Object.entries(doc.pathParameters ?? {}).map(([name, description]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...queryParameters(doc.query),
    ...(doc.idempotencyKey ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
  ];
  const responses: OpenApiOperation['responses'] = {};
  for (const [status, { description, body }] of Object.entries(doc.responses)) {
    responses[status] = { description, content: jsonContent(jsonSchemaOf(body, 'output')) };
  }
  for (const [status, description] of Object.entries(doc.errors))
    responses[status] = errorAnswer(description);
  if (!doc.public) responses[401] = errorAnswer('The API key is missing, unknown or revoked');
  if (!doc.public) responses[429] = errorAnswer(throttledAnswer);
  if (doc.body) responses[413] = errorAnswer(`The body is larger than ${maxBodyBytes} bytes`);
  return {
    summary: doc.summary,
    description: doc.description,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body
      ? { requestBody: { required: true, content: jsonContent(jsonSchemaOf(doc.body, 'input')) } }
      : {}),
    responses,
    ...(doc.public ? { security: [] } : {}),
  };
}

function buildDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const { method, path } of httpRoutes) {
    const doc = routeDocs[`${method} ${path}` as RouteKey];
    paths[path] = { ...paths[path], [method.toLowerCase()]: operationOf(doc) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'mcrm merchant API',
      version,
      description:
        'Manage members, points, stored value and benefits. Send your API key as ' +
        '`Authorization: Bearer <API key>`: you act as the merchant who owns it. Errors are JSON: ' +
        '`{"error": {"code", "message", "issues"?}}`.',
    },
    paths,
    components: {
      schemas: { Error: jsonSchemaOf(errorSchema, 'output') },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Names this operation, e.g. the order id. A retry with the same key does nothing more and ' +
            'answers 200 with `replayed: true`; the same key for a different operation is refused (409). ' +
            'Required, unless the body carries it as `idempotencyKey`.',
          schema: jsonSchemaOf(idempotencyKeySchema, 'input'),
        },
      },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'The API key `npm run merchant` prints' },
      },
    },
    security: [{ apiKey: [] }],
  };
}

let document: OpenApiDocument | undefined;

/** Built on first use, once per process: the schemas do not change while it runs. */
export function openApiDocument(): OpenApiDocument {
  document ??= buildDocument();
  return document;
}

/** `GET /v1/openapi.json`: public, so it takes no merchant. */
export async function serveOpenApiDocument(_request: Request): Promise<Response> {
  return json(200, openApiDocument());
}
