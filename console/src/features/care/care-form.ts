import type { CareSettings, CareSettingsInput } from './api/care';

/** Tiers and tags a greeting is addressed to; both empty is every member. */
export interface AudienceFields {
  tiers?: string[];
  tags?: string[];
}

type FestivalCode = CareSettingsInput['festivals'] extends (infer F)[] | undefined
  ? F extends { code: infer C }
    ? C
    : never
  : never;

export interface SpecialDayFields extends AudienceFields {
  code: string;
  name: string;
  date: string;
  template: string;
}

/**
 * The editor's fields: the care settings with every greeting present (off ones too, so the text
 * typed is kept while it is off), festivals by code, and the low balance in yuan.
 */
export interface CareFields {
  sendWindow: { start: string; end: string };
  serviceToOptedOut: boolean;
  birthday: { enabled: boolean; template: string; benefitCode?: string; followUpTemplate?: string };
  anniversary: { enabled: boolean; template: string };
  festivals: Partial<Record<FestivalCode, { enabled: boolean; template: string } & AudienceFields>>;
  specialDays: SpecialDayFields[];
  pointsExpiring: { enabled: boolean; days: number; template: string };
  lowBalance: { enabled: boolean; thresholdYuan: number; template: string };
  packageEnding: { enabled: boolean; days: number; template: string };
  countCardExpiring: { enabled: boolean; days: number; template: string };
}

/** The texts an editor starts from, in the merchant's language. */
export interface DefaultTexts {
  birthday: string;
  followUp: string;
  anniversary: string;
  festival: string;
  specialDay: string;
  pointsExpiring: string;
  lowBalance: string;
  packageEnding: string;
  countCardExpiring: string;
}

const audienceFields = (audience?: AudienceFields): AudienceFields => ({
  tiers: audience?.tiers ?? [],
  tags: audience?.tags ?? [],
});

/** The editor's fields for saved settings, or for none yet (every greeting off, with a text ready). */
export function toFields(
  settings: CareSettings | null,
  defaults: DefaultTexts,
  festivalCodes: readonly string[],
): CareFields {
  const festivals: CareFields['festivals'] = {};
  for (const code of festivalCodes as FestivalCode[]) {
    festivals[code] = { enabled: false, template: defaults.festival, tiers: [], tags: [] };
  }
  for (const festival of settings?.festivals ?? []) {
    festivals[festival.code] = {
      enabled: true,
      template: festival.template,
      ...audienceFields(festival.audience),
    };
  }
  const { birthday, anniversary, pointsExpiring, lowBalance, packageEnding, countCardExpiring } =
    settings ?? {};
  return {
    sendWindow: settings?.sendWindow ?? { start: '09:00', end: '20:00' },
    serviceToOptedOut: settings?.serviceToOptedOut ?? true,
    birthday: {
      enabled: birthday?.enabled ?? false,
      template: birthday?.template ?? defaults.birthday,
      ...(birthday?.benefitCode ? { benefitCode: birthday.benefitCode } : {}),
      followUpTemplate: birthday?.followUpTemplate ?? defaults.followUp,
    },
    anniversary: {
      enabled: anniversary?.enabled ?? false,
      template: anniversary?.template ?? defaults.anniversary,
    },
    festivals,
    specialDays: (settings?.specialDays ?? []).map(({ audience, ...day }) => ({
      ...day,
      ...audienceFields(audience),
    })),
    pointsExpiring: {
      enabled: pointsExpiring?.enabled ?? false,
      days: pointsExpiring?.days ?? 7,
      template: pointsExpiring?.template ?? defaults.pointsExpiring,
    },
    lowBalance: {
      enabled: lowBalance?.enabled ?? false,
      thresholdYuan: (lowBalance?.thresholdCents ?? 5_000) / 100,
      template: lowBalance?.template ?? defaults.lowBalance,
    },
    packageEnding: {
      enabled: packageEnding?.enabled ?? false,
      days: packageEnding?.days ?? 7,
      template: packageEnding?.template ?? defaults.packageEnding,
    },
    countCardExpiring: {
      enabled: countCardExpiring?.enabled ?? false,
      days: countCardExpiring?.days ?? 7,
      template: countCardExpiring?.template ?? defaults.countCardExpiring,
    },
  };
}

function audienceOf(fields: AudienceFields): { audience?: AudienceFields } {
  const tiers = fields.tiers ?? [];
  const tags = fields.tags ?? [];
  if (tiers.length === 0 && tags.length === 0) return {};
  return { audience: { ...(tiers.length ? { tiers } : {}), ...(tags.length ? { tags } : {}) } };
}

/** A greeting that is off and has no text is left out; one that is off keeps its text. */
const kept = <Part extends { enabled: boolean; template: string }>(part: Part) =>
  part.enabled || part.template.trim() !== '';

/** The settings the fields stand for: what is previewed, and what the save button sends. */
export function toSettings(fields: CareFields): CareSettingsInput {
  const { birthday, anniversary, pointsExpiring, lowBalance, packageEnding, countCardExpiring } = fields;
  const benefit = birthday.benefitCode
    ? { benefitCode: birthday.benefitCode, followUpTemplate: birthday.followUpTemplate ?? '' }
    : {};
  const festivals = (
    Object.entries(fields.festivals) as [FestivalCode, CareFields['festivals'][FestivalCode]][]
  )
    .filter(([, festival]) => festival?.enabled)
    .map(([code, festival]) => ({
      code,
      template: festival?.template ?? '',
      ...audienceOf(festival ?? {}),
    }));
  return {
    sendWindow: fields.sendWindow,
    serviceToOptedOut: fields.serviceToOptedOut,
    ...(kept(birthday)
      ? { birthday: { enabled: birthday.enabled, template: birthday.template, ...benefit } }
      : {}),
    ...(kept(anniversary) ? { anniversary } : {}),
    festivals,
    specialDays: fields.specialDays.map(({ tiers, tags, ...day }) => ({
      ...day,
      ...audienceOf({ tiers, tags }),
    })),
    ...(kept(pointsExpiring) ? { pointsExpiring } : {}),
    ...(kept(lowBalance)
      ? {
          lowBalance: {
            enabled: lowBalance.enabled,
            template: lowBalance.template,
            thresholdCents: Math.round((lowBalance.thresholdYuan ?? 0) * 100),
          },
        }
      : {}),
    ...(kept(packageEnding) ? { packageEnding } : {}),
    ...(kept(countCardExpiring) ? { countCardExpiring } : {}),
  };
}

/**
 * The editor's field (a dotted name) for a path the API names in a refusal of `settings`, e.g.
 * `festivals.0.template` → `festivals.laba.template`; a path under no field gives undefined.
 */
export function fieldOfIssue(path: string, settings: CareSettingsInput): string | undefined {
  const [top, index, ...rest] = path.split('.');
  const sub = rest[0] === 'audience' ? rest[1] : rest[0];
  switch (top) {
    case 'sendWindow':
      return `sendWindow.${index === 'start' ? 'start' : 'end'}`;
    case 'birthday':
    case 'anniversary':
    case 'pointsExpiring':
    case 'packageEnding':
    case 'countCardExpiring':
      return `${top}.${index ?? 'template'}`;
    case 'lowBalance':
      return `lowBalance.${index === 'thresholdCents' ? 'thresholdYuan' : (index ?? 'template')}`;
    case 'festivals': {
      const code = settings.festivals?.[Number(index)]?.code;
      return code ? `festivals.${code}.${sub ?? 'template'}` : undefined;
    }
    case 'specialDays':
      return index === undefined ? undefined : `specialDays.${index}.${sub ?? 'name'}`;
    default:
      return undefined;
  }
}

/** A dotted field name as antd's name path: list indexes as numbers. */
export const namePath = (field: string): (string | number)[] =>
  field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));

/** A code for a new special day: the API wants lowercase letters, digits and -. */
export const newSpecialDayCode = (): string => `day-${Date.now().toString(36)}`;
