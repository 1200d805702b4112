// The production server: Next.js's request handler behind node:http, so route handlers can learn
// the socket's peer address. `next start` cannot provide it: Next.js sets X-Forwarded-For from
// the socket only when the request has none and keeps a client-sent one verbatim. This entry
// deletes any client-sent copy of the internal header and sets it from the socket
// (lib/http/client-address.ts reads it). Usage matches `next start`: node server.mjs [-p PORT] [-H HOST]
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";

const PEER_ADDRESS_HEADER = "x-pnakotic-peer-address";
const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname;

// Tells lib/http/client-address.ts that the header was set here, not by a client.
globalThis.__pnakoticPeerAddressHeader = true;

const app = next({ dev: false, dir: import.meta.dirname, hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((request, response) => {
  // Node joins repeated headers and lower-cases names, so one delete removes every client copy.
  delete request.headers[PEER_ADDRESS_HEADER];
  request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
  handle(request, response).catch((error) => {
    console.error(error);
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});
server.listen(port, hostname, () => console.log(`▲ Pnakotic ready on http://${hostname ?? "localhost"}:${port}`));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // Keep-alive clients and long polls must not hold the exit open.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
