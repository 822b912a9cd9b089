import type { Merchant } from '../../shared/schemas/merchant';
import * as apiKeys from './api-keys';
import * as audiences from './audiences';
import * as audit from './audit';
import type { Caller } from './auth';
import * as benefits from './benefits';
import * as campaignTestAndStats from './campaign-test-and-stats';
import * as campaigns from './campaigns';
import * as care from './care';
import * as carePreview from './care-preview';
import * as consent from './consent';
import * as cardProducts from './count-card-products';
import * as coupons from './coupons';
import * as dailyStats from './daily-stats';
import type { MerchantApiDeps } from './deps';
import type { Request, Response } from './http';
import * as imports from './imports';
import * as keywordApps from './keyword-apps';
import * as ledger from './ledger';
import * as memberCountCards from './member-count-cards';
import * as memberRights from './member-rights';
import * as memberTags from './member-tags';
import * as members from './members';
import { serveOpenApiDocument } from './openapi';
import * as packages from './packages';
import * as referrals from './referrals';
import * as reminders from './reminders';
import * as retention from './retention';
import type { MerchantRouteKey, PublicRouteKey } from './route-keys';
import * as settings from './settings';
import * as signIn from './sign-in';
import * as staff from './staff';
import * as storedValueRefund from './stored-value-refund';
import * as stores from './stores';
import * as surveys from './surveys';
import * as templates from './templates';
import * as tickets from './tickets';

/** A route that acts for the caller's merchant (most need only the merchant, not who the caller is). */
export type MerchantRoute = (
  request: Request,
  merchant: Merchant,
  deps: MerchantApiDeps,
  caller: Caller,
) => Promise<Response>;

/** A route that answers without an API key or a session: it is given no merchant. */
export type PublicRoute = (request: Request, deps: MerchantApiDeps) => Promise<Response>;

export const publicRoutes: { [Key in PublicRouteKey]: PublicRoute } = {
  // Not a dynamic import: esbuild would wrap every module below openapi.ts (nearly all of this
  // function) for lazy start, and keep all of the DynamoDB client (+3% bundle). The document itself is
  // built on the first request only.
  'GET /v1/openapi.json': serveOpenApiDocument,
  'POST /v1/auth/code': signIn.requestCode,
  'POST /v1/auth/session': signIn.openSession,
};

/** Every other route declared in shared/resources/ must have its handler here, or this does not compile. */
export const merchantRoutes: { [Key in MerchantRouteKey]: MerchantRoute } = {
  'GET /v1/members/{phone}': members.getMember,
  'GET /v1/members': members.listMembers,
  'POST /v1/members': members.createMember,
  'PATCH /v1/members/{phone}': members.updateMember,
  'DELETE /v1/members/{phone}': members.deleteMember,
  'POST /v1/members/{phone}/tags': memberTags.addMemberTags,
  'DELETE /v1/members/{phone}/tags/{tag}': memberTags.removeMemberTag,
  'POST /v1/members/{phone}/restore': members.restoreMember,
  'POST /v1/members/{phone}/points': ledger.earn,
  'POST /v1/members/{phone}/points/redeem': ledger.redeem,
  'POST /v1/members/{phone}/points/adjust': ledger.adjust,
  'POST /v1/members/{phone}/stored-value/top-up': ledger.topUp,
  'POST /v1/members/{phone}/stored-value/spend': ledger.spend,
  'POST /v1/members/{phone}/stored-value/refund': storedValueRefund.refund,
  'GET /v1/members/{phone}/ledger': ledger.history,
  'GET /v1/members/{phone}/points/preview': ledger.earnPreview,
  'POST /v1/members/{phone}/package': packages.buyPackage,
  'POST /v1/members/{phone}/claims': benefits.claim,
  'GET /v1/members/{phone}/claims': benefits.listClaims,
  'GET /v1/members/{phone}/exchangeable': benefits.listExchangeable,
  'POST /v1/members/{phone}/count-cards': memberCountCards.sellCountCard,
  'GET /v1/members/{phone}/count-cards': memberCountCards.listCountCards,
  'POST /v1/members/{phone}/count-cards/{cardId}/use': memberCountCards.useCountCard,
  'POST /v1/members/{phone}/count-cards/{cardId}/refund': memberCountCards.refundCountCard,
  'POST /v1/coupons/{couponCode}/redeem': coupons.redeemCouponRoute,
  'GET /v1/settings/loyalty': settings.getLoyaltySettings,
  'PUT /v1/settings/loyalty': settings.putLoyaltySettings,
  'PATCH /v1/settings/loyalty': settings.patchLoyaltySettings,
  'GET /v1/settings/sending': settings.getSendingSettings,
  'PUT /v1/settings/sending': settings.putSendingSettings,
  'PATCH /v1/settings/sending': settings.patchSendingSettings,
  'GET /v1/care/settings': care.getCareSettings,
  'PUT /v1/care/settings': care.putCareSettings,
  'PATCH /v1/care/settings': care.patchCareSettings,
  'GET /v1/care/preview': carePreview.previewCareTexts,
  'POST /v1/care/preview': carePreview.previewCareCalendar,
  'GET /v1/care/festivals': carePreview.listCareFestivals,
  'POST /v1/benefits': benefits.putBenefit,
  'GET /v1/benefits': benefits.listBenefits,
  'DELETE /v1/benefits/{code}': benefits.deactivateBenefit,
  'POST /v1/count-cards': cardProducts.createCardProduct,
  'GET /v1/count-cards': cardProducts.listCardProducts,
  'PATCH /v1/count-cards/{productId}': cardProducts.changeCardProduct,
  'POST /v1/imports': imports.createImport,
  'GET /v1/imports': imports.listImports,
  'GET /v1/imports/{importId}': imports.getImport,
  'POST /v1/reminders': reminders.createReminder,
  'GET /v1/reminders': reminders.listReminders,
  'GET /v1/reminders/{reminderId}': reminders.getReminder,
  'DELETE /v1/reminders/{reminderId}': reminders.cancelReminder,
  'POST /v1/campaigns': campaigns.createCampaign,
  'GET /v1/campaigns': campaigns.listCampaigns,
  'GET /v1/campaigns/{campaignId}': campaigns.getCampaign,
  'PATCH /v1/campaigns/{campaignId}': campaigns.updateCampaign,
  'POST /v1/campaigns/{campaignId}/schedule': campaigns.scheduleCampaign,
  'POST /v1/campaigns/{campaignId}/pause': campaigns.pauseCampaign,
  'POST /v1/campaigns/{campaignId}/resume': campaigns.resumeCampaign,
  'POST /v1/campaigns/{campaignId}/cancel': campaigns.cancelCampaign,
  'POST /v1/campaigns/{campaignId}/test': campaignTestAndStats.testCampaign,
  'GET /v1/campaigns/{campaignId}/stats': campaignTestAndStats.getCampaignStats,
  'GET /v1/members/{phone}/consent': consent.exportConsent,
  'POST /v1/members/{phone}/consent': consent.recordConsent,
  'DELETE /v1/members/{phone}/suppression': consent.clearSuppression,
  'GET /v1/members/{phone}/export': memberRights.exportMemberData,
  'POST /v1/members/{phone}/erase': memberRights.eraseMemberData,
  'POST /v1/templates': templates.createTemplate,
  'GET /v1/templates': templates.listTemplates,
  'POST /v1/templates/preview': templates.previewTemplate,
  'GET /v1/templates/{templateId}': templates.getTemplate,
  'PATCH /v1/templates/{templateId}': templates.updateTemplate,
  'DELETE /v1/templates/{templateId}': templates.deleteTemplate,
  'PUT /v1/templates/{templateId}/registration': templates.putTemplateRegistration,
  'POST /v1/audiences': audiences.createAudience,
  'GET /v1/audiences': audiences.listAudiences,
  'POST /v1/audiences/preview': audiences.previewAudience,
  'GET /v1/audiences/fields': audiences.listAudienceFields,
  'GET /v1/audiences/{audienceId}': audiences.getAudience,
  'PATCH /v1/audiences/{audienceId}': audiences.updateAudience,
  'DELETE /v1/audiences/{audienceId}': audiences.deleteAudience,
  'GET /v1/retention/settings': retention.getRetentionSettings,
  'PUT /v1/retention/settings': retention.putRetentionSettings,
  'PATCH /v1/retention/settings': retention.patchRetentionSettings,
  'POST /v1/retention/rules': retention.createRetentionRule,
  'GET /v1/retention/rules': retention.listRetentionRules,
  'GET /v1/retention/rules/{ruleId}': retention.getRetentionRule,
  'DELETE /v1/retention/rules/{ruleId}': retention.stopRetentionRule,
  'POST /v1/retention/runs': retention.requestScoringRun,
  'GET /v1/retention/runs': retention.listScoringRuns,
  'GET /v1/retention/report': retention.getRetentionReport,
  'POST /v1/surveys': surveys.createSurvey,
  'GET /v1/surveys': surveys.listSurveys,
  'GET /v1/surveys/{surveyId}': surveys.getSurvey,
  'POST /v1/surveys/{surveyId}/close': surveys.closeSurvey,
  'GET /v1/surveys/{surveyId}/results': surveys.getSurveyResults,
  'GET /v1/tickets': tickets.listTickets,
  'GET /v1/tickets/counts': tickets.countTickets,
  'GET /v1/tickets/{ticketId}': tickets.getTicket,
  'POST /v1/tickets/{ticketId}/answer': tickets.answerTicket,
  'POST /v1/tickets/{ticketId}/close': tickets.closeTicket,
  'POST /v1/keyword-apps': keywordApps.createKeywordApp,
  'GET /v1/keyword-apps': keywordApps.listKeywordApps,
  'GET /v1/keyword-apps/{appId}': keywordApps.getKeywordApp,
  'PATCH /v1/keyword-apps/{appId}': keywordApps.updateKeywordApp,
  'DELETE /v1/keyword-apps/{appId}': keywordApps.deleteKeywordApp,
  'GET /v1/api-keys': apiKeys.listApiKeys,
  'POST /v1/api-keys': apiKeys.createApiKey,
  'DELETE /v1/api-keys/{keyId}': apiKeys.revokeApiKey,
  'GET /v1/staff': staff.listStaff,
  'POST /v1/staff': staff.addStaff,
  'PATCH /v1/staff/{staffId}': staff.changeStaff,
  'DELETE /v1/staff/{staffId}': staff.removeStaff,
  'GET /v1/auth/session': signIn.getSession,
  'DELETE /v1/auth/session': signIn.endSession,
  'GET /v1/audit': audit.listAuditEntries,
  'GET /v1/referrals': referrals.listReferrals,
  'GET /v1/stats/daily': dailyStats.getDailyStats,
  'GET /v1/stats/stores': dailyStats.getStoreStats,
  'GET /v1/stores': stores.listStores,
  'POST /v1/stores': stores.createStore,
  'PATCH /v1/stores/{storeId}': stores.changeStore,
  'GET /v1/stats/now': dailyStats.getStatsNow,
};
