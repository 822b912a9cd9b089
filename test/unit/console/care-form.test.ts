import { describe, expect, it } from 'vitest';
import {
  type DefaultTexts,
  fieldOfIssue,
  namePath,
  toFields,
  toSettings,
} from '../../../console/src/features/care/care-form';
import { careSettingsSchema } from '../../../shared/schemas/care';

const defaults: DefaultTexts = {
  birthday: '生日快乐',
  followUp: '生日礼详情',
  anniversary: '周年快乐',
  festival: '{{festival}}快乐',
  specialDay: '店庆',
  pointsExpiring: '积分到期',
  lowBalance: '余额不足',
  packageEnding: '套餐到期',
  countCardExpiring: '次卡到期',
};
const codes = ['spring-festival', 'laba', 'qixi'];

describe("the care editor's fields", () => {
  it('give back the settings they were made from', () => {
    const saved = careSettingsSchema.parse({
      sendWindow: { start: '08:00', end: '21:00' },
      birthday: { template: '{{name}}生日快乐', benefitCode: 'BDAY', followUpTemplate: '{{benefit}}详情' },
      festivals: [
        { code: 'laba', template: '{{festival}}喝粥', audience: { tags: ['vip'] } },
        { code: 'qixi', template: '七夕快乐' },
      ],
      specialDays: [
        { code: 'shop', name: '店庆', date: '05-20', template: '店庆', audience: { tiers: ['gold'] } },
      ],
      lowBalance: { thresholdCents: 1_050, template: '余额{{balance}}' },
    });
    const settings = toSettings(toFields(saved, defaults, codes));
    expect(careSettingsSchema.parse(settings)).toEqual({
      ...saved,
      // Greetings that are off keep the text ready for them, and go back off.
      anniversary: { enabled: false, template: '周年快乐' },
      pointsExpiring: { enabled: false, days: 7, template: '积分到期' },
      packageEnding: { enabled: false, days: 7, template: '套餐到期' },
      countCardExpiring: { enabled: false, days: 7, template: '次卡到期' },
    });
  });

  it('start with every greeting off for a shop without care, and preview nothing', () => {
    const settings = toSettings(toFields(null, defaults, codes));
    expect(settings.festivals).toEqual([]);
    expect(settings.birthday).toEqual({ enabled: false, template: '生日快乐' });
    expect(careSettingsSchema.safeParse(settings).success).toBe(true);
  });

  it('turn a festival on with the text it starts from', () => {
    const fields = toFields(null, defaults, codes);
    fields.festivals.laba = { ...fields.festivals.laba, enabled: true, template: '{{festival}}喝粥' };
    expect(toSettings(fields).festivals).toEqual([{ code: 'laba', template: '{{festival}}喝粥' }]);
  });
});

describe('where a refusal of the care settings is shown', () => {
  const settings = toSettings({
    ...toFields(null, defaults, codes),
    festivals: { laba: { enabled: true, template: 'x', tiers: ['nope'], tags: [] } },
  });

  it('names the field of each path the API gives', () => {
    expect(fieldOfIssue('birthday.template', settings)).toBe('birthday.template');
    expect(fieldOfIssue('birthday', settings)).toBe('birthday.template');
    expect(fieldOfIssue('festivals.0.audience.tiers', settings)).toBe('festivals.laba.tiers');
    expect(fieldOfIssue('festivals.0.template', settings)).toBe('festivals.laba.template');
    expect(fieldOfIssue('specialDays.2.date', settings)).toBe('specialDays.2.date');
    expect(fieldOfIssue('lowBalance.thresholdCents', settings)).toBe('lowBalance.thresholdYuan');
    expect(fieldOfIssue('sendWindow', settings)).toBe('sendWindow.end');
    expect(fieldOfIssue('festivals.5.template', settings)).toBeUndefined();
    expect(fieldOfIssue('(body)', settings)).toBeUndefined();
  });

  it('makes list indexes numbers in the name path', () => {
    expect(namePath('specialDays.2.date')).toEqual(['specialDays', 2, 'date']);
    expect(namePath('festivals.laba.tiers')).toEqual(['festivals', 'laba', 'tiers']);
  });
});
