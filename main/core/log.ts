/** The core's logger: a small interface so hosts choose where lines go (stderr, file, nowhere). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const levels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof levels)[number];

/** One line per entry on a stream (stderr by default, so stdout stays free for JSON-RPC). */
export function streamLogger(write: (line: string) => void, minLevel: LogLevel = 'info'): Logger {
  const min = levels.indexOf(minLevel);
  const at = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (levels.indexOf(level) < min) return;
    const extra = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
    write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
