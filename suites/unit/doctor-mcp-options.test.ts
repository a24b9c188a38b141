import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mask } from '../../src/base/secrets.ts';
import { run } from '../../src/cli/doctor-command.ts';

// Bad MCP input is refused in one line before any request (the URL below never answers).
const URL_ = 'http://127.0.0.1:1';
const MCP = `${URL_}/mcp-server/http`;

describe("the doctor's MCP options", () => {
  test.each([
    [{ 'mcp-token-env': 'X' }, '--mcp-token-file, --mcp-token-env, --mcp-token and --mcp-header need --mcp-url'],
    [{ 'mcp-url': 'ftp://x/mcp-server/http' }, '--mcp-url must be an http:// or https:// URL (got ftp://x/mcp-server/http)'],
    [{ 'mcp-url': MCP, 'mcp-token': 'a', 'mcp-token-env': 'X' }, 'give one of --mcp-token-file, --mcp-token-env or --mcp-token'],
    [{ 'mcp-url': MCP, 'mcp-token-env': 'AUTHLAB_SURELY_UNSET' }, '--mcp-token-env AUTHLAB_SURELY_UNSET: AUTHLAB_SURELY_UNSET is not set in this environment'],
    [{ 'mcp-url': MCP, 'mcp-header': 'X Bad' }, '--mcp-header takes a header name (got X Bad)'],
    [{ 'mcp-url': MCP, insecure: true }, '--insecure is for https:// URLs, and none of --url, --proxy-url, --webhook-url, --mcp-url is one'],
  ])('%o: bad input', async (values, line) => {
    await expect(run({ url: URL_, ...values })).rejects.toThrow(line);
  });

  test('a token from a file is registered as a secret: every output masks it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-token-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'Bearer eyJ-mcp-token-from-a-file\n');
    await run({ url: URL_, 'mcp-url': MCP, 'mcp-token-file': file, json: true });
    expect(mask('sent: Bearer eyJ-mcp-token-from-a-file')).not.toContain('eyJ-mcp-token-from-a-file');
  });
});
