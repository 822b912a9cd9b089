/** The demo shop's retention rule with a history (written by setup/retention-history.ts): found by its name. */
export const historyRuleName = '红区唤回（示例）';
/** Members it texted and held out 45 days ago, and those of them who bought within 30 days after. */
export const historyCohorts = { treated: 30, treatedRetained: 15, holdout: 20, holdoutRetained: 2 };
