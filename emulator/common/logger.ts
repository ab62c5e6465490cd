// Logs go to stderr: stdout is reserved for the one JSON start line (the start contract).
// Only methods, paths (secret names), statuses and timings are logged — never a secret value.

export interface Logger {
  info(message: string): void;
  error(message: string): void;
  /** One line per data-plane request; silenced by --quiet. */
  request(line: string): void;
}

export function createLogger(options: { quiet?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const emit = (level: string, message: string) => write(`[kv-emulator] ${level} ${message}\n`);
  return {
    info: (m) => emit('info', m),
    error: (m) => emit('error', m),
    request: (m) => {
      if (!options.quiet) emit('req', m);
    },
  };
}

/** A logger that drops everything (in-process use in tests). */
export const silentLogger: Logger = { info: () => {}, error: () => {}, request: () => {} };
