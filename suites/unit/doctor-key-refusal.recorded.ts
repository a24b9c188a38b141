// What n8n 1.116.2 and 2.41.0 answered an owner's session and the public API, recorded
// 2026-12-07 from each image (throwaway instances, encryption key below; the keys are theirs):
// public API on, then the same data restarted with N8N_PUBLIC_API_DISABLED=true. A key "kept",
// a key "to-delete" deleted in Settings > n8n API, and a key another instance minted
// (fixtures/keys). Bodies trimmed to the fields n8n sent that the doctor reads (the scopes lists
// and the users' other fields left out, noted where cut); statuses and messages as sent.
import type { OwnerAnswers } from '../../src/parts/diagnosis/owner-reading.ts';

export const RECORDING_ENCRYPTION_KEY = 'keys31-recording-encryption-key-0001';

interface Recorded {
  keys: { kept: string; deleted: string };
  /** The public API's answers to each key and to none, API on and off. */
  publicApi: Record<'on' | 'off', Record<'kept' | 'deleted' | 'foreign' | 'none', { status: number; body: string }>>;
  /** /rest/settings without a sign-in (API on). */
  settingsWithoutLogin: { status: number; body: string };
  owner: Record<'on' | 'off', OwnerAnswers>;
  wrongPassword: { status: number; body: string };
}

export const RECORDED: Record<'1.116.2' | '2.41.0', Recorded> = {
  '1.116.2': {
    keys: {
      kept: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJlYzY4YzNmNC02OWFjLTRlOTAtOTMyYi1iMGYzYTc1MDg2NTEiLCJpc3MiOiJuOG4iLCJhdWQiOiJwdWJsaWMtYXBpIiwiaWF0IjoxNzk2NjExMjU4fQ.ZEWIoF-3hGl1xdgv66DhQ6YyiMpr74x3VBzwcRIR9f8',
      deleted:
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJlYzY4YzNmNC02OWFjLTRlOTAtOTMyYi1iMGYzYTc1MDg2NTEiLCJpc3MiOiJuOG4iLCJhdWQiOiJwdWJsaWMtYXBpIiwiaWF0IjoxNzk2NjExMjU5fQ.yhl3SgUOVd0R4zOCJsDMqAngXMswFgE1fjeSW2pWMwA',
    },
    publicApi: {
      on: {
        kept: {
          status: 200,
          body: '{"data":[],"nextCursor":null}',
        },
        deleted: {
          status: 401,
          body: '{"message":"unauthorized"}',
        },
        foreign: {
          status: 401,
          body: '{"message":"unauthorized"}',
        },
        none: {
          status: 401,
          body: '{"message":"\'X-N8N-API-KEY\' header required"}',
        },
      },
      off: {
        kept: {
          status: 404,
          body: '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /api/v1/workflows</pre>\n</body>\n</html>\n',
        },
        deleted: {
          status: 404,
          body: '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /api/v1/workflows</pre>\n</body>\n</html>\n',
        },
        foreign: {
          status: 404,
          body: '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /api/v1/workflows</pre>\n</body>\n</html>\n',
        },
        none: {
          status: 404,
          body: '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /api/v1/workflows</pre>\n</body>\n</html>\n',
        },
      },
    },
    owner: {
      on: {
        login: {
          status: 200,
          body: '{"data": {"createdAt": "2026-12-07T02:40:46.116Z", "id": "ec68c3f4-69ac-4e90-932b-b0f3a7508651", "email": "owner@authlab.test", "role": "global:owner", "isOwner": true, "globalScopes": []}}',
        },
        settings: {
          status: 200,
          body: '{"data": {"versionCli": "1.116.2", "publicApi": {"enabled": true, "latestVersion": 1, "path": "api", "swaggerUi": {"enabled": true}}}}',
        },
        apiKeys: {
          status: 200,
          body: '{"data": [{"createdAt": "2026-12-07T02:40:58.685Z", "updatedAt": "2026-12-07T02:40:58.685Z", "id": "4uEW5yeyjkN7DoEP", "userId": "ec68c3f4-69ac-4e90-932b-b0f3a7508651", "label": "kept", "apiKey": "******R9f8", "expiresAt": null, "scopes": ["credential:create", "credential:delete", "credential:move"]}]}',
        },
        users: {
          status: 200,
          body: '{"data": {"count": 1, "items": [{"id": "ec68c3f4-69ac-4e90-932b-b0f3a7508651", "email": "owner@authlab.test", "role": "global:owner"}]}}',
        },
      },
      off: {
        login: {
          status: 200,
          body: '{"data": {"createdAt": "2026-12-07T02:40:46.116Z", "id": "ec68c3f4-69ac-4e90-932b-b0f3a7508651", "email": "owner@authlab.test", "role": "global:owner", "isOwner": true, "globalScopes": []}}',
        },
        settings: {
          status: 200,
          body: '{"data": {"versionCli": "1.116.2", "publicApi": {"enabled": false, "latestVersion": 1, "path": "api", "swaggerUi": {"enabled": true}}}}',
        },
        apiKeys: {
          status: 404,
          body: '',
        },
        users: {
          status: 200,
          body: '{"data": {"count": 1, "items": [{"id": "ec68c3f4-69ac-4e90-932b-b0f3a7508651", "email": "owner@authlab.test", "role": "global:owner"}]}}',
        },
      },
    },
    settingsWithoutLogin: {
      status: 200,
      body: '{"data": {"versionCli": "1.116.2", "publicApi": {"enabled": true, "latestVersion": 1, "path": "api", "swaggerUi": {"enabled": true}}}}',
    },
    wrongPassword: {
      status: 401,
      body: '{"code":401,"message":"Wrong username or password. Do you have caps lock on?"}',
    },
  },
  '2.41.0': {
    keys: {
      kept: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxM2MzYTUzZS0zOTdjLTQ0OWMtODZlMy0yNzQzM2Y1M2FjZGUiLCJpc3MiOiJuOG4iLCJhdWQiOiJwdWJsaWMtYXBpIiwianRpIjoiOTFlYzk2YTMtZjg3Ny00N2JmLWI0ZTAtMzQ1N2UyMWViZmEwIiwiaWF0IjoxNzk2NjExMTk4fQ.VyvL0wycxgDIdT6XPWU5XpkoP1CPI8sh1-HCg2oOa08',
      deleted:
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxM2MzYTUzZS0zOTdjLTQ0OWMtODZlMy0yNzQzM2Y1M2FjZGUiLCJpc3MiOiJuOG4iLCJhdWQiOiJwdWJsaWMtYXBpIiwianRpIjoiNWU2YjIxZjMtZGQ3Zi00NGUzLWE5MTItNGY1ZTliM2JiMWNiIiwiaWF0IjoxNzk2NjExMTk5fQ.gSFA6HXbtWyWExVFnACN4y-11UQh6o0iYMYzE4ttuto',
    },
    publicApi: {
      on: {
        kept: {
          status: 200,
          body: '{"data":[],"nextCursor":null}',
        },
        deleted: {
          status: 401,
          body: '{"message":"Unauthorized"}',
        },
        foreign: {
          status: 401,
          body: '{"message":"Unauthorized"}',
        },
        none: {
          status: 401,
          body: '{"message":"Unauthorized"}',
        },
      },
      off: {
        kept: {
          status: 401,
          body: '{"message":"Unauthorized"}',
        },
        deleted: {
          status: 401,
          body: '{"message":"Unauthorized"}',
        },
        foreign: {
          status: 401,
          body: '{"message":"Unauthorized"}',
        },
        none: {
          status: 401,
          body: '{"message":"Unauthorized"}',
        },
      },
    },
    owner: {
      on: {
        login: {
          status: 200,
          body: '{"data": {"createdAt": "2026-12-07T02:39:42.569Z", "id": "13c3a53e-397c-449c-86e3-27433f53acde", "email": "owner@authlab.test", "role": "global:owner", "isOwner": true, "globalScopes": ["apiKey:create", "apiKey:manage", "apiKey:update"]}}',
        },
        settings: {
          status: 200,
          body: '{"data": {"settingsMode": "authenticated", "versionCli": "2.41.0", "publicApi": {"enabled": true, "latestVersion": 1, "path": "api", "swaggerUi": {"enabled": true}}}}',
        },
        apiKeys: {
          status: 200,
          body: '{"data": {"items": [{"createdAt": "2026-12-07T02:39:58.824Z", "updatedAt": "2026-12-07T02:39:58.824Z", "id": "zWtMGVgfqRA4B1BC", "userId": "13c3a53e-397c-449c-86e3-27433f53acde", "label": "kept", "apiKey": "******Oa08", "expiresAt": null, "scopes": ["communityPackage:install", "communityPackage:list", "communityPackage:uninstall"]}], "counts": {"mine": 1, "all": 1}}}',
        },
        users: {
          status: 200,
          body: '{"data": {"count": 1, "items": [{"id": "13c3a53e-397c-449c-86e3-27433f53acde", "email": "owner@authlab.test", "role": "global:owner"}]}}',
        },
      },
      off: {
        login: {
          status: 200,
          body: '{"data": {"createdAt": "2026-12-07T02:39:42.569Z", "id": "13c3a53e-397c-449c-86e3-27433f53acde", "email": "owner@authlab.test", "role": "global:owner", "isOwner": true, "globalScopes": ["apiKey:create", "apiKey:manage", "apiKey:update"]}}',
        },
        settings: {
          status: 200,
          body: '{"data": {"settingsMode": "authenticated", "versionCli": "2.41.0", "publicApi": {"enabled": false, "latestVersion": 1, "path": "api", "swaggerUi": {"enabled": true}}}}',
        },
        apiKeys: {
          status: 404,
          body: '',
        },
        users: {
          status: 200,
          body: '{"data": {"count": 1, "items": [{"id": "13c3a53e-397c-449c-86e3-27433f53acde", "email": "owner@authlab.test", "role": "global:owner"}]}}',
        },
      },
    },
    settingsWithoutLogin: {
      status: 200,
      body: '{"data": {"settingsMode": "public"}}',
    },
    wrongPassword: {
      status: 401,
      body: '{"code":401,"message":"Wrong username or password. Do you have caps lock on?"}',
    },
  },
};
