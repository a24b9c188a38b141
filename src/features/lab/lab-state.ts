import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { authlabHome } from '../../base/authlab-home.ts';

/** Where labs keep their state, workspaces and keys: $AUTHLAB_HOME/labs/<scenario>, default ~/.authlab. */
export function labDir(id: string): string {
  return authlabHome('labs', id);
}

/** What a running lab tells the commands that come after the one that started it. */
export interface LabState {
  id: string;
  version: string;
  status: 'starting' | 'ready' | 'failed';
  /** The lab's own process: it holds the stack, and its containers carry its run id. */
  pid: number;
  runId: string;
  error?: string;
  control?: { port: number; token: string };
  n8nUrl?: string;
  proxyUrl?: string;
  proxyContainer?: string;
  /** The file holding the lab's API key (mode 600; the key is never printed). */
  keyFile?: string;
  /** n8n's container, for `docker exec` and `docker logs`. */
  n8nContainer?: string;
  /** Where the symptom is a workflow run: the URL that starts it. */
  workflowUrl?: string;
  /** Where that workflow's webhook checks its caller's value: the file holding the value the caller was given (mode 600). */
  callerFile?: string;
  /** Where the symptom is an MCP client's request: the URL it calls, and the file holding the Authorization it sends (mode 600). */
  mcpUrl?: string;
  tokenFile?: string;
  /** Where the symptom is a request from a container on the stack network: the tap's (n8n's own is n8nContainer), and the X-Forwarded-For it forges. */
  clientContainer?: string;
  forwardedFor?: string;
  /** Where the doctor is handed a webhook call: its URL as this machine reaches it (through the proxy, to a webhook that lists this machine). */
  doctorWebhookUrl?: string;
  /** Where the symptom is a member's two-factor sign-in: its email, its password's file, the authenticator's current code (renewed) and the code the sign-in sends. */
  member?: { email: string; passwordFile: string; authenticatorFile: string; codeFile: string };
  /**
   * Where the symptom is a link n8n mailed: the invitee's machine (the mail server's container, on
   * the stack network), the script its mail client is (it opens the newest mail's link there), the
   * mail server's list of what it received, and n8n's public URL as the invitee opens it.
   */
  mail?: { container: string; openScript: string; mailboxUrl: string; publicUrl: string };
  /** A secret the learner is handed (the lab's `given`): its file (mode 600). */
  givenFile?: string;
  /** What the learner edits (`what`), its files, and the commands that make an edit live. */
  workspace?: { what: string; files: string[]; apply: string[] };
  /** The symptom, as the lab observed it when it started. */
  symptom?: string[];
}

const stateFile = (id: string) => join(labDir(id), 'state.json');

/** Written whole, then renamed over the old: a command polling the state never reads half a file. */
export async function writeLabState(state: LabState): Promise<void> {
  await mkdir(labDir(state.id), { recursive: true, mode: 0o700 });
  const next = `${stateFile(state.id)}.${process.pid}.tmp`;
  await writeFile(next, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(next, stateFile(state.id));
}

export async function readLabState(id: string): Promise<LabState | undefined> {
  const text = await readFile(stateFile(id), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as LabState);
}

export async function removeLabDir(id: string): Promise<void> {
  await rm(labDir(id), { recursive: true, force: true });
}
