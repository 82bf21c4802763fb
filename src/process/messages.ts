// The conversation between the cluster primary and its workers, over the cluster's IPC channel.

/** What a worker tells the primary. */
export type WorkerMessage =
  /** It listens, on this port. */
  | { type: 'listening'; port: number }
  /** It will exit without serving; `reason` is a sentence for the operator when the cause is known. */
  | { type: 'startup-failed'; reason?: string }
  /** It has closed its copy of the listening socket (sent after the close, so it arrives after it). */
  | { type: 'stopped-accepting' };

/** What the primary tells a worker. */
export type PrimaryMessage =
  /** No worker listens any more and the socket is closed: new connections are refused. */
  { type: 'listener-closed' };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { type, reason, port } = value as { type?: unknown; reason?: unknown; port?: unknown };
  if (type === 'stopped-accepting') return true;
  if (type === 'listening') return typeof port === 'number';
  return type === 'startup-failed' && (reason === undefined || typeof reason === 'string');
}

export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  return (
    typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'listener-closed'
  );
}
