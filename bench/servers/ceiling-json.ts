// Ceiling (a): a bare node:http server answering a small JSON, the most any HTTP/1.1 endpoint
// of this stack can do here. Reads the request body as an API handler would.
//   PORT=8091 node --import tsx bench/servers/ceiling-json.ts
import http from "node:http";

const answer = JSON.stringify({
  details: { sequence: "2", changeDate: new Date().toISOString(), resourceOwner: "org" },
});

const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
