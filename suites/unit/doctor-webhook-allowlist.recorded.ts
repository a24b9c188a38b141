/**
 * What n8n answered the doctor's webhook calls on the allowlist family's stack, recorded from real
 * n8n 2.41.0 and 1.116.2 (AUTHLAB_RUN_ID=allow-doctor-1 and allow-doctor-2, 2026-12-07). The doctor
 * ran on the host, which a webhook of its own lists (the stack network's gateway: 192.168.112.1 and
 * 172.22.0.1 in the bodies), and called it through the scenario's proxy: `through` on the broken
 * stack (NGINX or Traefik without N8N_PROXY_HOPS, two NGINX hops with 1), `straight` the same call
 * to n8n's own URL, `fixed` through the proxy again after the fix. The doctor's unit tests answer exactly this.
 */
export type Answer = [status: number, body: string];

export type Recorded = Record<
  '2.41.0' | '1.116.2',
  Record<'nginx-no-proxy-hops' | 'two-nginx-one-hop' | 'traefik-no-proxy-hops', { through: Answer; straight: Answer; fixed: Answer }>
>;

export const RECORDED: Recorded = {
  '2.41.0': {
    'nginx-no-proxy-hops': {
      through: [403, 'IP is not allowed to access the webhook!'],
      straight: [
        200,
        '{"headers":{"host":"127.0.0.1:33837","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-270b1998","executionMode":"production"}',
      ],
      fixed: [
        200,
        '{"headers":{"host":"127.0.0.1","x-real-ip":"192.168.112.1","x-forwarded-for":"192.168.112.1","connection":"close","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-270b1998","executionMode":"production"}',
      ],
    },
    'two-nginx-one-hop': {
      through: [403, 'IP is not allowed to access the webhook!'],
      straight: [
        200,
        '{"headers":{"host":"127.0.0.1:33955","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-a5abd3e5","executionMode":"production"}',
      ],
      fixed: [
        200,
        '{"headers":{"host":"127.0.0.1","x-forwarded-for":"192.168.112.1, 127.0.0.1","connection":"close","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-a5abd3e5","executionMode":"production"}',
      ],
    },
    'traefik-no-proxy-hops': {
      through: [403, 'IP is not allowed to access the webhook!'],
      straight: [
        200,
        '{"headers":{"host":"127.0.0.1:33907","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-849a10a2","executionMode":"production"}',
      ],
      fixed: [
        200,
        '{"headers":{"host":"127.0.0.1:33834","user-agent":"curl/7.88.1","accept":"*/*","x-forwarded-for":"192.168.112.1","x-forwarded-host":"127.0.0.1:33834","x-forwarded-port":"33834","x-forwarded-proto":"http","x-forwarded-server":"d95dc5425e03","x-real-ip":"192.168.112.1","accept-encoding":"gzip"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-849a10a2","executionMode":"production"}',
      ],
    },
  },
  '1.116.2': {
    'nginx-no-proxy-hops': {
      through: [403, 'IP is not whitelisted to access the webhook!'],
      straight: [
        200,
        '{"headers":{"host":"127.0.0.1:34030","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-cf099e48","executionMode":"production"}',
      ],
      fixed: [
        200,
        '{"headers":{"host":"127.0.0.1","x-real-ip":"172.22.0.1","x-forwarded-for":"172.22.0.1","connection":"close","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-cf099e48","executionMode":"production"}',
      ],
    },
    'two-nginx-one-hop': {
      through: [403, 'IP is not whitelisted to access the webhook!'],
      straight: [
        200,
        '{"headers":{"host":"127.0.0.1:34164","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-9f5aa070","executionMode":"production"}',
      ],
      fixed: [
        200,
        '{"headers":{"host":"127.0.0.1","x-forwarded-for":"172.22.0.1, 127.0.0.1","connection":"close","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-9f5aa070","executionMode":"production"}',
      ],
    },
    'traefik-no-proxy-hops': {
      through: [403, 'IP is not whitelisted to access the webhook!'],
      straight: [
        200,
        '{"headers":{"host":"127.0.0.1:34115","user-agent":"curl/7.88.1","accept":"*/*"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-e0910476","executionMode":"production"}',
      ],
      fixed: [
        200,
        '{"headers":{"host":"127.0.0.1:34025","user-agent":"curl/7.88.1","accept":"*/*","x-forwarded-for":"172.22.0.1","x-forwarded-host":"127.0.0.1:34025","x-forwarded-port":"34025","x-forwarded-proto":"http","x-forwarded-server":"c00624cedb39","x-real-ip":"172.22.0.1","accept-encoding":"gzip"},"params":{},"query":{},"body":{},"webhookUrl":"http://localhost:5678/webhook/authlab-e0910476","executionMode":"production"}',
      ],
    },
  },
};
