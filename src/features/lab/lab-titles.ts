/**
 * What a learner sees, for each lab: the symptom, never the fault (the scenario's own title names
 * the fault: `proxy_set_header X-N8N-API-KEY ""; strips the key`). `lab list`, a running lab and a
 * compose export's README show these; a unit test keeps one per lab, none naming its fault.
 */
export const LEARNER_TITLES: Readonly<Record<string, string>> = {
  'endpoints.public-api-disabled': 'every call to /api/v1 answers 404, even with a valid key',
  'proxy.blanked-header': 'through NGINX the API says the key header is missing, though the client sends it',
  'proxy.pass-request-headers-off': 'through NGINX the API answers 401 whatever headers the client sends',
  'proxy.inheritance-trap': 'through NGINX (a longer site config) the API answers 401, straight to n8n the key works',
  'proxy.static-key-injected': 'through NGINX, API calls without any key succeed',
  'proxy.static-key-rotation': 'after a key rotation every API call through NGINX answers 401',
  'proxy.ip-deny': 'through NGINX the API answers 403 Forbidden, straight to n8n it works',
  'proxy.header-too-large': 'through NGINX a request with a big cookie fails before n8n sees it',
  'proxy.path-prefix': 'n8n served under /n8n/: the API call gets the editor page, not JSON',
  'proxy.forwarded-for-without-proxy-hops': "through NGINX everything works, but n8n's log shows an error after a sign-in",
  'proxy.caddy-header-removed': 'through Caddy the API says the key header is missing, though the client sends it',
  'proxy.caddy-static-key-injected': 'through Caddy, API calls without any key succeed',
  'clock.expiry-judged-by-fast-clock': 'a fresh API key is refused with 401 days before it expires',
  'clock.third-party-jwt': 'a workflow signing a JWT for the API it calls is refused by that API',
  'external.key-with-zwsp': 'a workflow calling OpenRouter fails on its request, its key pasted in',
  'external.key-with-nbsp': 'a workflow calling Pinecone gets 401 Invalid API Key, its key pasted in',
  'external.key-with-bom': 'a workflow calling a Bearer-token API fails on its request, its key pasted in',
  'external.key-with-trailing-newline': 'a workflow calling OpenAI fails on its request, its key pasted in',
  'external.header-auth-without-bearer': 'a workflow calling OpenAI with Header Auth gets 401 Incorrect API key, with the right key',
  'secrets.key-mismatch-refuses-start': "after a rebuild n8n's container exits at once and nothing answers",
  'secrets.jwt-secret-changed': 'after a restart every existing API key is refused with 401',
  'n8n-node.base-url-without-api-v1': "the n8n node fails with 404 though its credential's test is green",
  'n8n-node.public-url-proxy-drops-key': 'the n8n node calling this instance by its public URL fails with 401',
  'n8n-node.public-url-proxy-injects-rotated-key': 'after a key rotation the n8n node calling this instance by its public URL fails with 401',
  'webhooks.header-auth-credential-trailing-newline': "a webhook with Header Auth refuses its caller's correct value with 403",
  'mcp.server-access-disabled': "an AI client calling n8n's MCP endpoint gets 404, with the token n8n gave it",
  'mcp.server-public-api-key': "an AI client is refused 401 by n8n's MCP endpoint, though its key works on n8n's API",
  'mcp.trigger-bearer-wrong': "an MCP client calling a workflow's MCP URL is refused with 403",
  'mcp.server-discovery-prefix-only': "through NGINX an AI client cannot sign in to n8n's MCP endpoint with OAuth",
  'mcp.client-tool-wrong-token': "a workflow's MCP tool fails on every run: Could not connect to your MCP endpoint",
  'mcp.server-no-bearer-prefix': "an AI client given the token from n8n's MCP settings is refused with 401",
  'allowlist.nginx-no-proxy-hops': "through NGINX a webhook's IP allowlist refuses with 403 a client whose address is on it",
  'allowlist.nginx-hops-exceed-proxies': "through NGINX a client whose address is not on a webhook's IP allowlist gets in, with one more header",
  'allowlist.traefik-no-proxy-hops': "through Traefik a webhook's IP allowlist refuses with 403 a client whose address is on it",
  'allowlist.two-nginx-one-hop': "behind a load balancer and NGINX, a webhook's IP allowlist refuses with 403 a client whose address is on it",
  'forms.form-basic-auth-wrong': 'a visitor of a form that asks for a user and password gets an empty 401, credentials in hand',
  'forms.chat-basic-auth-wrong': 'a visitor of a public chat that asks for a user and password is refused 403 on every message',
  'mfa.server-clock-skewed': 'a member with two-factor login is refused 401 with the code their authenticator shows now',
  'mfa.wrong-code': 'a member with two-factor login is refused 401 at sign-in, though the password is right',
  'mail-links.invite-link-localhost': "behind NGINX, the link in the invitation n8n mails does not open on the new member's machine",
};

/** A lab's learner-safe title (the scenario's title only for a lab the table above misses, which a unit test forbids). */
export const learnerTitle = (lab: { id: string; title: string }): string => LEARNER_TITLES[lab.id] ?? lab.title;
