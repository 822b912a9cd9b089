/** Retention: churn zones, their changes, retention rules and their effect, scoring runs. */
export default {};
