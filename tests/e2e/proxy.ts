/**
 * A recording proxy in front of the collector, which the pages' `data-endpoint` names: Playwright
 * does not report `sendBeacon` requests (TOOLCHAIN.md), and the collector stores an event id once
 * however often it was sent. This sees every request that reaches it, beacons included, and can
 * play the collector's faults (`fault`): a 503 with `Retry-After`, a reset connection, or down.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireBatch } from '@kizuna/protocol';

/** what the proxy does to the next request: pass it on, answer 503, reset the connection, or refuse it */
export type Fault = undefined | { status: 503; retryAfter: number } | 'reset' | 'down';

export interface Sent {
  at: number;
  batch: WireBatch;
  /** `no-cors` for a beacon, `cors` for a fetch */
  mode: string;
  /** what the page got: the collector's status, or the fault's */
  answer: number | 'reset';
}

export interface Proxy {
  url: string;
  /** every batch POSTed to /api/v1/events, in order of arrival */
  sent: Sent[];
  /** the events of those batches (a copy for each time one was sent) */
  events(): WireBatch['events'];
  /** the events of the batches the collector took (202), in order: each once, if the SDK sent it once */
  accepted(): WireBatch['events'];
  /** how many times each event id was sent */
  copies(): Map<string, number>;
  /** sets the fault for the requests from now on (undefined: pass everything) */
  setFault(fault: Fault): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<Proxy> {
  const upstream = new URL(target);
  let fault: Fault;
  const sent: Sent[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // a 503 or a reset answers the events' POSTs only: the SDK's scripts still load
    const events = req.method === 'POST' && req.url?.startsWith('/api/v1/events');
    const record = (answer: Sent['answer']) => {
      if (events) sent.push({ at: Date.now(), batch: JSON.parse(Buffer.concat(chunks).toString()), mode: String(req.headers['sec-fetch-mode']), answer });
    };
    req.on('end', () => {
      if (fault === 'down' || (fault === 'reset' && events)) {
        // (down: a request that came in as the proxy stopped listening)
        record('reset');
        req.socket.destroy();
      } else if (fault && fault !== 'reset' && events) {
        // the CORS headers the collector sends with every answer, errors included (CONTRACT §3)
        record(fault.status);
        res.writeHead(fault.status, {
          'Retry-After': String(fault.retryAfter),
          'Access-Control-Allow-Origin': req.headers.origin ?? '*',
          'Access-Control-Expose-Headers': 'Retry-After',
          Vary: 'Origin',
        });
        res.end('{"error":"unavailable"}');
      } else forward();
    });
    const forward = () => {
      const request = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        record(up.statusCode!);
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      request.on('error', () => res.destroy());
      request.end(Buffer.concat(chunks));
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const listening = () => server.listening;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    events: () => sent.flatMap((s) => s.batch.events),
    accepted: () => sent.flatMap((s) => (s.answer === 202 ? s.batch.events : [])),
    copies() {
      const n = new Map<string, number>();
      for (const s of sent) for (const e of s.batch.events) n.set(e.id, (n.get(e.id) ?? 0) + 1);
      return n;
    },
    async setFault(next) {
      fault = next;
      // down: connections refused, the ones the browser keeps alive cut
      if (next === 'down' && listening()) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      } else if (next !== 'down' && !listening()) await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      if (!listening()) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
