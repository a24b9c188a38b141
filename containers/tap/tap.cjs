// A recording tap: listens on PORT, logs every request's exact header list (names as received)
// as one JSON line on stdout, and forwards the request unchanged to UPSTREAM.
// It runs with the Node.js that the n8n image already has, so it needs no image of its own.
const http = require('node:http');

const port = Number(process.env.PORT || 5678);
const upstream = new URL(process.env.UPSTREAM || 'http://n8n-app:5678');

http
  .createServer((req, res) => {
    const record = { tap: 1, at: new Date().toISOString(), method: req.method, url: req.url, from: req.socket.remoteAddress, headers: [] };
    for (let i = 0; i < req.rawHeaders.length; i += 2) record.headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    process.stdout.write(`${JSON.stringify(record)}\n`);
    const headers = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
    const out = http.request(
      { host: upstream.hostname, port: upstream.port || 80, method: req.method, path: req.url, headers, setHost: false },
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
  })
  .listen(port, () => process.stdout.write(`tap listening on ${port}, forwarding to ${upstream.href}\n`));
