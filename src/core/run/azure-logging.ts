// Routes the Azure SDK's own log (@azure/logger) into the platform's debug channel, so it is shown
// only in debug runs and passes through the platform's masker like every other line. The SDKs log
// request and response headers with secrets redacted and never bodies, which is where values travel.
import { AzureLogger, setLogLevel } from '@azure/logger';
import { format } from 'node:util';
import type { Logger } from '../common/ports.js';

export function routeAzureLogs(logger: Logger, verbose: boolean): void {
  AzureLogger.log = (...args: unknown[]) => logger.debug(format(...args).trimEnd());
  // AZURE_LOG_LEVEL set by the user still wins when it asks for more.
  if (verbose && !process.env.AZURE_LOG_LEVEL) setLogLevel('info');
}
