export { type AudienceField, audienceFields, type FieldValue } from './fields';
export { type AudienceContext, audiencePredicate, matchesAudience } from './matching';
export { type AudienceIndex, audienceIndex, maxBirthdayIndexMonths } from './narrowing';
export { audienceSchema } from './schema';
export {
  type Audience,
  type AudienceCondition,
  type AudienceOp,
  audienceOps,
  maxAudienceConditions,
  maxAudienceDepth,
  maxListValues,
  tierCodesIn,
} from './tree';
