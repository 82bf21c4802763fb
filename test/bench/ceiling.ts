import fs from 'node:fs';
import http from 'node:http';
import { installBenchProbe } from '../../src/bench-probe';

// The ceiling: bare node:http answering every request with the exact bytes of the W1 page.
// Usage: node ceiling.js <body-file>; prints {"port":N} once listening on 127.0.0.1.
const body = fs.readFileSync(process.argv[2]!);
installBenchProbe();
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
