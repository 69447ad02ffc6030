/** The composition root: builds every part from the config, and starts and stops them in order. */
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { WhatsAppDriver } from './drivers/driver.js';
import { SimulatorDriver } from './drivers/simulator.js';
import { createLogger } from './logger.js';
import { buildServer } from './server.js';
import { SessionManager } from './sessions/manager.js';
import { MessagingService, type SendResult } from './sessions/messaging.js';
import { IdempotencyStore } from './store/idempotency.js';
import { SessionMetaStore } from './store/metadata.js';
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
    ...(config.waWebSocketUrl ? { waWebSocketUrl: config.waWebSocketUrl } : {}),
  });
}

export async function createApp(config: Config, overrides: { logger?: Logger; driver?: WhatsAppDriver } = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const driver = overrides.driver ?? await makeDriver(config, logger);
  const queue = new WebhookQueue(join(config.sessionsDataPath, '.webhooks'));
  const eventLog = new EventLog();
  const dispatcher = new WebhookDispatcher({
    url: config.webhookUrl, signer: new WebhookSigner(config.webhookSecrets), queue, log: eventLog,
    logger: logger.child({ module: 'webhooks' }), timeoutMs: config.webhookTimeoutMs,
    retryWindowMs: config.webhookRetryWindowMs, backoff: config.webhookBackoff,
  });
  const metaStore = new SessionMetaStore(config.sessionsDataPath);
  const manager = new SessionManager({ driver, metaStore, dispatcher, logger, createTimeoutMs: config.sessionCreateTimeoutMs });
  const messaging = new MessagingService(manager, new IdempotencyStore<SendResult>(config.sessionsDataPath));
  const server = buildServer({
    config, logger, manager, messaging, eventLog, queue,
    ...(driver instanceof SimulatorDriver ? { simulator: driver } : {}),
  });

  return {
    config, server, manager, dispatcher, driver,
    async start() {
      await dispatcher.start();
      await manager.restore();
      return server.listen({ host: config.host, port: config.port });
    },
    async stop() {
      await server.close();
      await manager.shutdown();
      await dispatcher.stop();
    },
  };
}
