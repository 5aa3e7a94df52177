// Structured logs: one JSON object a line on standard output (pino), so an operator's collector
// (journald, Loki, CloudWatch) can filter by level, request id, route or job without parsing prose.
// WGHUB_LOG_LEVEL sets the level (trace … fatal, or silent); WGHUB_LOG_FORMAT=pretty is not
// offered on purpose: pipe through `pino-pretty` when reading by eye.
import { pino, type Logger } from 'pino';
import { SettingError } from '../../domain/errors.ts';

export type { Logger };

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

export function createLogger(level = process.env.WGHUB_LOG_LEVEL ?? 'info'): Logger {
  if (!LEVELS.has(level)) {
    throw new SettingError(`WGHUB_LOG_LEVEL '${level}' is not a level: use one of ${[...LEVELS].join(', ')}`);
  }
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** Logs nothing: the default for a hub built in a test or a one-shot CLI command. */
export const silentLogger: Logger = pino({ level: 'silent' });
