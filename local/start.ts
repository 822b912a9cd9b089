/**
 * `npm start`: the whole backend on 127.0.0.1 with its data under .data/ (git-ignored), and the console,
 * built first when its sources changed since the last build.
 * PORT sets the HTTP port (default 3000); LOG_LEVEL the functions' log level (default WARN).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'WARN';
process.env.POWERTOOLS_SERVICE_NAME ??= 'mcrm-local';
// The AWS SDK is pinned to a release that supports Node 20; its notice about later releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { startRuntime } = await import('./runtime');
const { JavaMissingError } = await import('./dynamodb-local');
const { consoleBuildIsFresh, buildConsole, consoleDist } = await import('../console/build');

const port = Number(process.env.PORT ?? 3000);
try {
  if (!consoleBuildIsFresh()) {
    console.log('building the console…');
    await buildConsole();
  }
  const { codeInSignInText } = await import('../shared/domain/sign-in');
  const runtime = await startRuntime({
    port,
    dataDir: '.data',
    consoleDir: consoleDist,
    // No phone to read it on: the sign-in code is printed here as well as kept in the outbox.
    onText: (text) => {
      const code = codeInSignInText(text.body);
      if (code) console.log(`sign-in code for ${text.to}: ${code}`);
    },
  });
  const { merchant } = runtime.demo;
  console.log(`mcrm is running on ${runtime.url}`);
  console.log(`  console:      ${runtime.url}/   <- the merchant console in a browser`);
  console.log(`  merchant:     ${merchant.name} (${merchant.merchantId})`);
  console.log(`  SMS number:   ${merchant.senderNumber}   <- the number customers text`);
  console.log(`  API key:      ${runtime.demo.apiKey}`);
  console.log(
    `  sign in:      ${runtime.demo.ownerPhone} (the owner); the code is printed here and kept in the outbox`,
  );
  console.log(
    `  try:          npm run sms -- --from +8613800138000 --to ${merchant.senderNumber} "注册 张三"`,
  );
  console.log(`  outbox:       ${runtime.url}/local/sms/outbox?phone=%2B8613800138000`);
  const shutdown = async () => {
    console.log('stopping…');
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof JavaMissingError) console.error(error.message);
  else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`port ${port} is in use: stop the other server or start with PORT=<port> npm start`);
  } else console.error(error);
  process.exit(1);
}

export {};
