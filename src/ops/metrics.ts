import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Usher's Prometheus metrics, one registry per app (tests run several apps in one process). */
export function createMetrics() {
  const registry = new Registry();
  const requests = new Counter({
    name: "usher_requests_total",
    help: "API requests by method and result code",
    labelNames: ["method", "code"] as const,
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: "usher_request_duration_seconds",
    help: "API request latency by method",
    labelNames: ["method"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const sends = new Counter({
    name: "usher_deliveries_total",
    help: "Delivery attempts by provider and result (sent, retry, failed)",
    labelNames: ["provider", "result"] as const,
    registers: [registry],
  });
  const sendSeconds = new Histogram({
    name: "usher_delivery_duration_seconds",
    help: "Time a provider took to accept a message",
    labelNames: ["provider"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: "usher_outbox_queued",
    help: "Messages waiting to be sent (queued or being sent)",
    registers: [registry],
  });
  const oldestQueued = new Gauge({
    name: "usher_outbox_oldest_queued_seconds",
    help: "Age of the oldest message waiting to be sent",
    registers: [registry],
  });
  const circuitOpen = new Gauge({
    name: "usher_delivery_circuit_open",
    help: "1 while this process has stopped sending because the mail provider is unavailable (probing), else 0",
    labelNames: ["provider"] as const,
    registers: [registry],
  });
  const circuitChanges = new Counter({
    name: "usher_delivery_circuit_changes_total",
    help: "Times this process's delivery circuit opened (provider unavailable) or closed (it answers again)",
    labelNames: ["provider", "state"] as const,
    registers: [registry],
  });
  const connectionsRefused = new Counter({
    name: "usher_connections_refused_total",
    help: "Connections refused (503 and closed) for a cap: total or per client address",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  return {
    registry,
    connectionsRefused,
    requests,
    requestSeconds,
    sends,
    sendSeconds,
    queueDepth,
    oldestQueued,
    circuitOpen,
    circuitChanges,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
