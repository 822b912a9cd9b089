import { ensureConsoleBuilt } from '../../console/build';
import { createApp } from '../app';

// The stack deploys the built console (console/dist): build it first when its sources changed.
await ensureConsoleBuilt();
// The CLI passes CDK_OUTDIR, so the app synthesizes itself when the process is about to exit.
createApp();
