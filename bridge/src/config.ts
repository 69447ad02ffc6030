/** Typed configuration, read once from the environment. A bad value stops the start with a line naming the variable. */
import { resolve } from 'node:path';

export type DriverName = 'baileys' | 'simulator';

export interface BackoffConfig {
  baseMs: number;
  maxMs: number;
}

export interface Config {
  host: string;
  port: number;
  apiKey: string | undefined;
  apiKeyDisabled: boolean;
  driver: DriverName;
  webhookUrl: string | undefined;
  webhookSecrets: string[];
  webhookTimeoutMs: number;
  webhookRetryWindowMs: number;
  webhookBackoff: BackoffConfig;
  sessionsDataPath: string;
  logLevel: string;
  bodyLimitBytes: number;
  /** body limit of POST /sessions/{id}/messages: room for MEDIA_MAX_BYTES of base64 media */
  messageBodyLimitBytes: number;
  corsOrigins: string[];
  sessionCreateTimeoutMs: number;
  reconnectBackoff: BackoffConfig;
  mediaFetch: { timeoutMs: number; maxBytes: number; allowPrivate: boolean };
  /** GET /sessions/{id}/media/{messageId} refuses (413) files above this */
  mediaDownloadMaxBytes: number;
  /** Baileys' on-disk references to inbound media */
  mediaIndex: { retentionMs: number; maxEntries: number };
  /** how long our own send ids are remembered (so their echoes are never taken for the owner) */
  sentIdsRetentionMs: number;
  sendAckTimeoutMs: number;
  rateLimitRetryAfterS: number;
  /** a second, unauthenticated listener for GET /metrics only (internal networks) */
  metrics: { port: number | undefined; host: string };
  waWebSocketUrl: string | undefined;
  connectTimeoutMs: number;
  serviceName: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function bool(env: Env, name: string, fallback = false): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function webhookUrl(env: Env): string | undefined {
  const raw = env.WEBHOOK_URL;
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url.toString();
  } catch {
    throw new ConfigError(`WEBHOOK_URL must be an http(s) URL, got "${raw}"`);
  }
}

function webhookSecrets(env: Env): string[] {
  const secrets = list(env.WEBHOOK_SECRET);
  for (const secret of secrets) {
    const key = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
    if (Buffer.from(key, 'base64').length === 0) {
      throw new ConfigError('WEBHOOK_SECRET must be whsec_<base64>, comma-separated for rotation');
    }
  }
  return secrets;
}

export function loadConfig(env: Env = process.env): Config {
  const driver = (env.BRIDGE_DRIVER ?? 'baileys') as DriverName;
  if (driver !== 'baileys' && driver !== 'simulator') {
    throw new ConfigError(`BRIDGE_DRIVER must be baileys or simulator, got "${driver}"`);
  }
  const apiKeyDisabled = bool(env, 'BRIDGE_API_KEY_DISABLED');
  const apiKey = env.API_KEY || undefined;
  if (!apiKey && !apiKeyDisabled) {
    throw new ConfigError('API_KEY is required (or set BRIDGE_API_KEY_DISABLED=true)');
  }
  const host = env.HOST ?? '0.0.0.0';
  const bodyLimitBytes = int(env, 'BODY_LIMIT_BYTES', 16 * 1024 * 1024, 1);
  const mediaMaxBytes = int(env, 'MEDIA_MAX_BYTES', 16 * 1024 * 1024, 1);
  return {
    host,
    port: int(env, 'PORT', 3000),
    apiKey,
    apiKeyDisabled,
    driver,
    webhookUrl: webhookUrl(env),
    webhookSecrets: webhookSecrets(env),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 1),
    webhookRetryWindowMs: int(env, 'WEBHOOK_RETRY_WINDOW_MS', 24 * 3600_000, 1),
    webhookBackoff: {
      baseMs: int(env, 'WEBHOOK_BACKOFF_BASE_MS', 1_000, 1),
      maxMs: int(env, 'WEBHOOK_BACKOFF_MAX_MS', 5 * 60_000, 1),
    },
    sessionsDataPath: resolve(env.SESSIONS_DATA_PATH ?? './sessions_data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimitBytes,
    messageBodyLimitBytes: int(env, 'MESSAGE_BODY_LIMIT_BYTES', Math.max(bodyLimitBytes, Math.ceil(mediaMaxBytes / 3) * 4 + 1024 * 1024), 1),
    corsOrigins: list(env.CORS_ORIGINS),
    sessionCreateTimeoutMs: int(env, 'SESSION_CREATE_TIMEOUT_MS', 30_000),
    reconnectBackoff: {
      baseMs: int(env, 'RECONNECT_BACKOFF_BASE_MS', 1_000, 1),
      maxMs: int(env, 'RECONNECT_BACKOFF_MAX_MS', 60_000, 1),
    },
    mediaFetch: {
      timeoutMs: int(env, 'MEDIA_FETCH_TIMEOUT_MS', 15_000, 1),
      maxBytes: mediaMaxBytes,
      allowPrivate: bool(env, 'MEDIA_FETCH_ALLOW_PRIVATE'),
    },
    mediaDownloadMaxBytes: int(env, 'MEDIA_DOWNLOAD_MAX_BYTES', 64 * 1024 * 1024, 1),
    mediaIndex: {
      retentionMs: int(env, 'MEDIA_RETENTION_HOURS', 72, 1) * 3600_000,
      maxEntries: int(env, 'MEDIA_INDEX_MAX', 5_000, 1),
    },
    sentIdsRetentionMs: int(env, 'SENT_IDS_RETENTION_HOURS', 72, 1) * 3600_000,
    sendAckTimeoutMs: int(env, 'SEND_ACK_TIMEOUT_MS', 5_000, 1),
    rateLimitRetryAfterS: int(env, 'RATE_LIMIT_RETRY_AFTER_S', 60, 1),
    metrics: { port: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0) : undefined, host: env.METRICS_HOST ?? host },
    waWebSocketUrl: env.WA_WEBSOCKET_URL || undefined,
    connectTimeoutMs: int(env, 'WA_CONNECT_TIMEOUT_MS', 20_000, 1),
    serviceName: 'wa-agents-bridge',
  };
}
