import { ensureConsoleBuilt } from '../../console/build';

/** The infra tests synthesize the stack, which deploys the built console: build it when its sources changed. */
export default async function setup() {
  await ensureConsoleBuilt();
}
