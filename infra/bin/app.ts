import { createApp } from '../app';

// The CLI passes CDK_OUTDIR, so the app synthesizes itself when the process is about to exit.
createApp();
