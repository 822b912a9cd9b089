import { test as setup } from '@playwright/test';
import { ownerPhone, ownerState, signIn } from './staff-session';

/** The owner signs in once; the tests that start signed in reuse the browser state kept here. */
setup('the owner signs in with the code texted to their phone', async ({ page }) => {
  await signIn(page, ownerPhone);
  await page.context().storageState({ path: ownerState });
});
