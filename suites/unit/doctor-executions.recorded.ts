// What n8n saved and answered, trimmed to the fields the doctor reads (the node's parameters,
// request context and stack left out). Recorded from real runs of the catalogue on 2026-11-29:
// `forbidden` is n8n 2.41.0's answer to GET /api/v1/executions with a key holding only
// workflow:list (endpoints.key-scopes; n8n 1.116.2, unlicensed, gives every key every scope and
// answers 200); `thirdParty401` is n8n 2.41.0's execution of external.key-with-nbsp (the Pinecone
// mock's 401; 1.116.2 saves the same fields); `invalidHeader` is n8n 1.116.2's execution of
// external.key-with-zwsp (2.41.0 sends the cleaned value and succeeds); `n8nNode401` is n8n 2.41.0's
// execution of n8n-node.public-url-proxy-drops-key (the n8n node's 401 from its own instance through
// NGINX blanking X-N8N-API-KEY; the node's saved error names its type).
// `refreshRefused116` and `refreshRefused241` are n8n 1.116.2 and 2.41.0 executions of
// oauth2.revoked-refresh-token (2026-12-06 and -07).
// `envDenied241` and `envDenied116` are n8n 2.41.0's (its default block) and 1.116.2's (with
// N8N_BLOCK_ENV_ACCESS_IN_NODE=true) executions of env-access.credential-env-denied (2026-12-07), from
// the error each saved as the run's report recorded it (no HTTP code: nothing was sent).
// Not recorded in full: the decryption failure. On the default versions no catalogue run left it
// as a workflow's latest execution readable with the stack's key (1.116.2 refuses the old key after
// a lost .n8n; 2.41.0 does not start); its message is the one secrets.queue-worker-key-mismatch and
// secrets.n8n-folder-lost recorded on 1.116.2 (findings.md), in the shape of the errors above.

/** The n8n node's error, as n8n saves it at the workflow level and in the node's run. */
const N8N_NODE_401 = {
  name: 'NodeApiError',
  message: 'Authorization failed - please check your credentials',
  description: 'Unauthorized',
  httpCode: '401',
  messages: ['Request failed with status code 401'],
  node: {
    name: 'n8n',
    type: 'n8n-nodes-base.n8n',
  },
};

export const STAND_IN = {
  forbidden: {
    message: 'Forbidden',
  },
  thirdParty401: {
    resultData: {
      error: {
        name: 'NodeApiError',
        message: 'Authorization failed - please check your credentials',
        description: 'Invalid API Key',
        httpCode: '401',
        messages: ['401 - "{\\"error\\":{\\"code\\":\\"UNAUTHENTICATED\\",\\"message\\":\\"Invalid API Key\\"},\\"status\\":401}"'],
        node: {
          name: 'HTTP Request',
        },
      },
      lastNodeExecuted: 'HTTP Request',
      runData: {
        Webhook: [
          {
            executionStatus: 'success',
          },
        ],
        'HTTP Request': [
          {
            executionStatus: 'error',
            error: {
              name: 'NodeApiError',
              message: 'Authorization failed - please check your credentials',
              description: 'Invalid API Key',
              httpCode: '401',
              messages: ['401 - "{\\"error\\":{\\"code\\":\\"UNAUTHENTICATED\\",\\"message\\":\\"Invalid API Key\\"},\\"status\\":401}"'],
              node: {
                name: 'HTTP Request',
              },
            },
          },
        ],
      },
    },
  },
  invalidHeader: {
    resultData: {
      error: {
        name: 'NodeApiError',
        message: 'Invalid character in header content ["Authorization"]',
        httpCode: 'ERR_INVALID_CHAR',
        messages: ['Invalid character in header content ["Authorization"]'],
        node: {
          name: 'HTTP Request',
        },
      },
      lastNodeExecuted: 'HTTP Request',
      runData: {
        Webhook: [
          {
            executionStatus: 'success',
          },
        ],
        'HTTP Request': [
          {
            executionStatus: 'error',
            error: {
              name: 'NodeApiError',
              message: 'Invalid character in header content ["Authorization"]',
              httpCode: 'ERR_INVALID_CHAR',
              messages: ['Invalid character in header content ["Authorization"]'],
              node: {
                name: 'HTTP Request',
              },
            },
          },
        ],
      },
    },
  },
  undecryptable: {
    resultData: {
      error: {
        name: 'Error',
        message: 'Credentials could not be decrypted. The likely reason is that a different "encryptionKey" was used to encrypt the data.',
        node: {
          name: 'Who am I',
        },
      },
      lastNodeExecuted: 'Who am I',
      runData: {
        Webhook: [
          {
            executionStatus: 'success',
          },
        ],
        'Who am I': [
          {
            executionStatus: 'error',
            error: {
              name: 'Error',
              message: 'Credentials could not be decrypted. The likely reason is that a different "encryptionKey" was used to encrypt the data.',
              node: {
                name: 'Who am I',
              },
            },
          },
        ],
      },
    },
  },
  notValidJson: {
    resultData: {
      error: {
        name: 'Error',
        message: 'Decrypted credentials data is not valid JSON.',
        node: {
          name: 'Who am I',
        },
      },
      lastNodeExecuted: 'Who am I',
      runData: {
        Webhook: [
          {
            executionStatus: 'success',
          },
        ],
        'Who am I': [
          {
            executionStatus: 'error',
            error: {
              name: 'Error',
              message: 'Decrypted credentials data is not valid JSON.',
              node: {
                name: 'Who am I',
              },
            },
          },
        ],
      },
    },
  },
  // n8n 2.41.0's execution of runners.code-node-token-mismatch (2026-11-29): the workflow's error
  // as the public API returned it, its description cut after the first sentence.
  noRunner: {
    resultData: {
      error: {
        message: 'Task request timed out',
        description:
          'Your Code node task was not matched to a runner within the timeout period (waited 20 seconds). This indicates that the task runner is currently down, or not ready, or at capacity, so it cannot service your task.',
        node: {
          name: 'Code',
        },
      },
      lastNodeExecuted: 'Code',
      runData: {},
    },
  },
  otherFailure: {
    resultData: {
      error: {
        name: 'NodeApiError',
        message: 'The service refused the connection - perhaps it is offline',
        httpCode: 'ECONNREFUSED',
        node: {
          name: 'HTTP Request',
        },
      },
      lastNodeExecuted: 'HTTP Request',
      runData: {},
    },
  },
  n8nNode401: {
    resultData: {
      error: N8N_NODE_401,
      lastNodeExecuted: 'n8n',
      runData: {
        Webhook: [
          {
            executionStatus: 'success',
          },
        ],
        n8n: [
          {
            executionStatus: 'error',
            error: N8N_NODE_401,
          },
        ],
      },
    },
  },
  /** n8n 1.116.2's execution of oauth2.revoked-refresh-token (2026-12-06): the OAuth library's invalid_grant text, no HTTP code. */
  refreshRefused116: {
    resultData: {
      error: {
        name: 'NodeApiError',
        message:
          'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
        httpCode: 'EAUTH',
        node: { name: 'Protected API', type: 'n8n-nodes-base.httpRequest' },
      },
      lastNodeExecuted: 'Protected API',
      runData: {},
    },
  },
  /** n8n 2.41.0's execution of oauth2.revoked-refresh-token (2026-12-07): n8n's own words, no HTTP code. */
  refreshRefused241: {
    resultData: {
      error: {
        name: 'NodeApiError',
        message: 'The credential "OAuth2 API at oidc-provider (1796602755538)" needs to be reconnected.',
        description:
          'Access could not be refreshed because the connected account has revoked access, the refresh token expired, or the account password or permissions changed. Open the credential and reconnect it to continue.',
        httpCode: null,
        node: { name: 'Protected API', type: 'n8n-nodes-base.httpRequest' },
      },
      lastNodeExecuted: 'Protected API',
      runData: {},
    },
  },
  envDenied241: {
    resultData: {
      error: { name: 'ExpressionError', level: 'warning', message: 'access to env vars denied [Error resolving credentials]' },
      lastNodeExecuted: 'Who am I',
      runData: {},
    },
  },
  envDenied116: {
    resultData: {
      error: { name: 'ExpressionError', level: 'warning', message: 'access to env vars denied [Error resolving credentials]' },
      lastNodeExecuted: 'Who am I',
      runData: {},
    },
  },
};
