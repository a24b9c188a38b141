// A recording tap: listens on PORT, logs every request's exact header list (names as received)
// as one JSON line on stdout, and forwards the request unchanged to UPSTREAM.
// A protocol upgrade (n8n's push websocket) is forwarded as it came, then bytes both ways.
// It runs with the Node.js that the n8n image already has, so it needs no image of its own.
const http = require('node:http');
const net = require('node:net');

const port = Number(process.env.PORT || 5678);
const upstream = new URL(process.env.UPSTREAM || 'http://n8n-app:5678');
const upstreamPort = Number(upstream.port || 80);

/** Logs the request's head and returns its header list flat, as node's http.request takes it. */
function recordHead(req) {
  const record = { tap: 1, at: new Date().toISOString(), method: req.method, url: req.url, from: req.socket.remoteAddress, headers: [] };
  for (let i = 0; i < req.rawHeaders.length; i += 2) record.headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  process.stdout.write(`${JSON.stringify(record)}\n`);
  return req.rawHeaders.slice();
}

const server = http.createServer((req, res) => {
  const headers = recordHead(req);
  const out = http.request(
    { host: upstream.hostname, port: upstreamPort, method: req.method, path: req.url, headers, setHost: false },
    (answer) => {
      res.writeHead(answer.statusCode, answer.rawHeaders);
      answer.pipe(res);
    },
  );
  out.on('error', (err) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`tap: upstream error: ${err.message}`);
  });
  req.pipe(out);
});

server.on('upgrade', (req, socket, head) => {
  const headers = recordHead(req);
  const upstreamSocket = net.connect(upstreamPort, upstream.hostname, () => {
    let lines = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
    for (let i = 0; i < headers.length; i += 2) lines += `${headers[i]}: ${headers[i + 1]}\r\n`;
    upstreamSocket.write(`${lines}\r\n`);
    if (head.length) upstreamSocket.write(head);
    upstreamSocket.pipe(socket);
    socket.pipe(upstreamSocket);
  });
  upstreamSocket.on('error', () => socket.destroy());
  socket.on('error', () => upstreamSocket.destroy());
});

server.listen(port, () => process.stdout.write(`tap listening on ${port}, forwarding to ${upstream.href}\n`));
