/** Where the signed-in owner's browser state (session cookie, who is signed in) is kept for the tests to reuse. */
export const ownerState = 'console/e2e/.out/owner.json';
