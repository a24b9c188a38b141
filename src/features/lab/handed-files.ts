import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registerSecret } from '../../base/secrets.ts';
import type { BrokenScenario, ScenarioContext } from '../../core/types.ts';
import { connect } from '../../families/mcp/server/support.ts';
import { describeExchange } from '../../parts/client/exchange.ts';
import type { Lab } from './lab-catalogue.ts';
import { type ClientFiles, writeClientFiles } from './lab-clients.ts';
import { labDir, type LabState } from './lab-state.ts';

/** The file holding what the lab's MCP client sends in Authorization ("Bearer <token>"), as the doctor's --mcp-token-file reads it. */
export const TOKEN_FILE = 'mcp-authorization';

export type HandedFiles = Pick<LabState, 'mcpUrl' | 'tokenFile' | 'givenFile'> & ClientFiles;

const write = async (id: string, name: string, value: string): Promise<string> => {
  const file = join(labDir(id), name);
  await writeFile(file, value, { mode: 0o600 });
  return file;
};

/**
 * What the learner is handed besides the API key, from the broken stack: where the symptom is an
 * MCP client's request, its URL and the Authorization it sends (the scenario's, as the doctor is
 * handed it); the files of the other clients (lab-clients.ts); and a secret the lab gives (the token
 * a server expects, say). Written again on --reset.
 */
export async function writeHandedFiles(lab: Lab, ctx: ScenarioContext, broken: BrokenScenario): Promise<HandedFiles> {
  const handed: HandedFiles = await writeClientFiles(lab, ctx, broken);
  if ('mcp' in lab.lab.symptom) {
    const mcp = broken.doctorInput('broken').mcp;
    if (!mcp) throw new Error(`${lab.id}: its scenario hands the doctor no MCP client's request`);
    Object.assign(handed, { mcpUrl: mcp.url, tokenFile: await write(lab.id, TOKEN_FILE, mcp.token ?? '') });
  }
  const given = lab.lab.given;
  if (given) {
    const value = given.value(ctx, broken);
    if (!value) throw new Error(`${lab.id}: nothing to hand the learner as ${given.file}`);
    handed.givenFile = await write(lab.id, given.file, registerSecret(value, 'secret'));
  }
  return handed;
}

/**
 * `--check` of a lab whose symptom is an MCP client's request: the same client (the MCP SDK's)
 * with the Authorization the token file holds now, as the learner left it; fixed once n8n accepts it.
 */
export async function checkMcpClient(ctx: ScenarioContext, handed: HandedFiles): Promise<{ fixed: boolean; lines: string[] }> {
  if (!handed.tokenFile || !handed.mcpUrl) throw new Error("the lab handed no MCP client's token file");
  // As $(cat file) reads it: trailing newlines dropped.
  const authorization = (await readFile(handed.tokenFile, 'utf8')).replace(/[\r\n]+$/, '');
  registerSecret(authorization.replace(/^Bearer\s+/i, ''), 'api-key');
  const [judged] = await connect(ctx, `the MCP client with the Authorization in ${handed.tokenFile}`, { Authorization: authorization }, handed.mcpUrl);
  const fixed = judged?.outcome === 'accepted';
  return { fixed, lines: [`${fixed ? 'ok     ' : 'not yet'} must be accepted: ${judged ? describeExchange(judged) : 'no request made'}`] };
}
