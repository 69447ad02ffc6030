import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({ API_KEY: 'k' });
    expect(c).toMatchObject({ port: 3000, driver: 'baileys', apiKeyDisabled: false, bodyLimitBytes: 16 * 1024 * 1024, webhookSecrets: [], corsOrigins: [] });
    expect(c.webhookUrl).toBeUndefined();
  });
  it('sizes the send route for MEDIA_MAX_BYTES of base64 and has the media, journal and metrics defaults', () => {
    const c = loadConfig({ API_KEY: 'k' });
    expect(c.messageBodyLimitBytes).toBe(Math.ceil((16 * 1024 * 1024) / 3) * 4 + 1024 * 1024);
    expect(c).toMatchObject({
      mediaDownloadMaxBytes: 64 * 1024 * 1024, mediaIndex: { retentionMs: 72 * 3600_000, maxEntries: 5000 },
      sentIdsRetentionMs: 72 * 3600_000, sendAckTimeoutMs: 5000, rateLimitRetryAfterS: 60, metrics: { port: undefined, host: '0.0.0.0' },
    });
    expect(loadConfig({ API_KEY: 'k', MEDIA_MAX_BYTES: '300' }).messageBodyLimitBytes).toBe(16 * 1024 * 1024);
    expect(loadConfig({ API_KEY: 'k', METRICS_PORT: '9464' }).metrics.port).toBe(9464);
    expect(() => loadConfig({ API_KEY: 'k', METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ API_KEY: 'k', MEDIA_RETENTION_HOURS: '0' })).toThrow(/MEDIA_RETENTION_HOURS/);
  });
  it('requires an API key unless explicitly disabled', () => {
    expect(() => loadConfig({})).toThrow(/API_KEY/);
    expect(loadConfig({ BRIDGE_API_KEY_DISABLED: 'true' }).apiKeyDisabled).toBe(true);
  });
  it('names the variable in every error', () => {
    expect(() => loadConfig({ API_KEY: 'k', PORT: 'x' })).toThrow(/PORT/);
    expect(() => loadConfig({ API_KEY: 'k', BRIDGE_DRIVER: 'zapw' })).toThrow(/BRIDGE_DRIVER/);
    expect(() => loadConfig({ API_KEY: 'k', WEBHOOK_URL: 'ftp://x' })).toThrow(/WEBHOOK_URL/);
    expect(() => loadConfig({ API_KEY: 'k', WEBHOOK_SECRET: 'whsec_' })).toThrow(/WEBHOOK_SECRET/);
    expect(() => loadConfig({ API_KEY: 'k', BODY_LIMIT_BYTES: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ API_KEY: 'k', BRIDGE_API_KEY_DISABLED: 'maybe' })).toThrow(/BRIDGE_API_KEY_DISABLED/);
  });
  it('reads two comma-separated webhook secrets for rotation', () => {
    expect(loadConfig({ API_KEY: 'k', WEBHOOK_SECRET: 'whsec_MTIz, whsec_NDU2' }).webhookSecrets).toEqual(['whsec_MTIz', 'whsec_NDU2']);
  });
});
