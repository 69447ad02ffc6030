/** The composition root: builds every part from the config, and starts and stops them in order. */
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { WhatsAppDriver } from './drivers/driver.js';
import { SimulatorDriver } from './drivers/simulator/driver.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { metricsServer } from './routes/metrics.js';
import { buildServer } from './server.js';
import { SessionManager } from './sessions/manager.js';
import { MessagingService, type SendResult } from './sessions/messaging.js';
import { SessionMetaStore } from './store/metadata.js';
import { SendJournal } from './store/send-journal.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { EventLog } from './webhooks/event-log.js';
import { WebhookQueue } from './webhooks/queue.js';
import { WebhookSigner } from './webhooks/signer.js';

export interface App {
  config: Config;
  server: FastifyInstance;
  manager: SessionManager;
  dispatcher: WebhookDispatcher;
  driver: WhatsAppDriver;
  metrics: Metrics;
  /** the METRICS_PORT listener's base URL, once started */
  metricsUrl?: string;
  /** restores sessions, starts webhook delivery and listens; resolves to the base URL */
  start(): Promise<string>;
  stop(): Promise<void>;
}

async function makeDriver(config: Config, logger: Logger): Promise<WhatsAppDriver> {
  if (config.driver === 'simulator') return new SimulatorDriver();
  const { BaileysDriver } = await import('./drivers/baileys/driver.js');
  return new BaileysDriver({
    logger: logger.child({ module: 'baileys' }),
    backoff: config.reconnectBackoff,
    connectTimeoutMs: config.connectTimeoutMs,
    ackTimeoutMs: config.sendAckTimeoutMs,
    media: config.mediaIndex,
    ...(config.waWebSocketUrl ? { waWebSocketUrl: config.waWebSocketUrl } : {}),
  });
}

export async function createApp(config: Config, overrides: { logger?: Logger; driver?: WhatsAppDriver } = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const driver = overrides.driver ?? await makeDriver(config, logger);
  const queue = new WebhookQueue(join(config.sessionsDataPath, '.webhooks'));
  const eventLog = new EventLog();
  const metrics = new Metrics();
  const dispatcher = new WebhookDispatcher({
    url: config.webhookUrl, signer: new WebhookSigner(config.webhookSecrets), queue, log: eventLog,
    logger: logger.child({ module: 'webhooks' }), timeoutMs: config.webhookTimeoutMs,
    retryWindowMs: config.webhookRetryWindowMs, backoff: config.webhookBackoff,
    onFailedAttempt: () => metrics.deliveryFailures.inc(),
  });
  const metaStore = new SessionMetaStore(config.sessionsDataPath);
  const journal = new SendJournal<SendResult>(config.sessionsDataPath, { sentTtlMs: config.sentIdsRetentionMs });
  const manager = new SessionManager({
    driver, metaStore, dispatcher, logger, metrics, createTimeoutMs: config.sessionCreateTimeoutMs,
    isOwnSend: (sessionId, messageId) => journal.isOurs(sessionId, messageId),
  });
  metrics.bind({ sessionStatuses: () => manager.list().map((s) => s.status), queueDepths: () => queue.depths() });
  const messaging = new MessagingService(manager, journal, metrics);
  const server = buildServer({
    config, logger, manager, messaging, eventLog, queue, metrics,
    ...(driver instanceof SimulatorDriver ? { simulator: driver } : {}),
  });
  const metricsListener = config.metrics.port !== undefined ? metricsServer(metrics) : undefined;

  const app: App = {
    config, server, manager, dispatcher, driver, metrics,
    async start() {
      await dispatcher.start();
      await manager.restore();
      if (metricsListener) app.metricsUrl = await metricsListener.listen({ host: config.metrics.host, port: config.metrics.port ?? 0 });
      return server.listen({ host: config.host, port: config.port });
    },
    async stop() {
      await server.close();
      await metricsListener?.close();
      await manager.shutdown();
      await dispatcher.stop();
    },
  };
  return app;
}
