import type { IncomingMessage } from 'node:http';

/** Whether a request carries a body (what body-parser's hasBody says, less an empty Content-Length: 0). */
export function carriesBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}
