import type { FastifyInstance } from 'fastify';

export function healthRoutes(app: FastifyInstance, serviceName: string): void {
  app.get('/health', async () => ({
    status: 'ok', timestamp: new Date().toISOString(), service: serviceName, uptime: Math.round(process.uptime()),
  }));
}
