/** One answer of n8n's editor API as the owner's session got it: status and the whole body. */
export interface OwnerAnswer {
  status: number;
  body: string;
}

/** What the owner's session asked n8n: the sign-in, then (signed in) its settings, its API keys and its users. */
export interface OwnerAnswers {
  login: OwnerAnswer;
  settings?: OwnerAnswer;
  apiKeys?: OwnerAnswer;
  users?: OwnerAnswer;
}

/** An API key as n8n lists it in Settings > n8n API: never the key, only its last characters. */
export interface ListedKey {
  label: string;
  createdAt: string;
  /** The characters n8n shows of it (the last four, after asterisks). */
  lastChars: string;
  userId: string;
  scopes: number;
}

/** What the instance said of itself to the signed-in owner. */
export interface OwnerReading {
  signedIn: boolean;
  /** Why the sign-in failed, in n8n's words. */
  refusal?: string;
  userId?: string;
  version?: string;
  /** The settings' publicApi.enabled, as the editor reads it. */
  publicApiEnabled?: boolean;
  /** The keys n8n lists to this user; undefined where it did not list them. */
  keys?: ListedKey[];
  /** How /rest/api-keys answered, for the evidence. */
  keysAnswer?: string;
  /** Whether the list holds every user's keys (n8n 2.x to an owner or admin, apiKey:manage) or only the caller's own. */
  listsEveryUsersKeys: boolean;
  /** The ids of the instance's users; undefined where n8n did not list them. */
  userIds?: string[];
}

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};
const dataOf = (a: OwnerAnswer | undefined): Record<string, unknown> | undefined => {
  const data = a && a.status === 200 ? (parse(a.body) as { data?: unknown } | undefined)?.data : undefined;
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
};
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** n8n's message of a refused answer, or its status alone. */
function refusalOf(a: OwnerAnswer): string {
  const message = (parse(a.body) as { message?: unknown } | undefined)?.message;
  return `${a.status}${typeof message === 'string' ? ` "${message}"` : ''}`;
}

/** n8n 1.x answers the list itself; 2.x a page of it ({ items, counts, owners }). */
function listedKeys(data: unknown): ListedKey[] | undefined {
  const items = Array.isArray(data) ? data : (data as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return undefined;
  return items.map((k: Record<string, unknown>) => ({
    label: text(k.label),
    createdAt: text(k.createdAt),
    lastChars: text(k.apiKey).replace(/^\*+/, ''),
    userId: text(k.userId),
    scopes: Array.isArray(k.scopes) ? k.scopes.length : 0,
  }));
}

function userIdsOf(data: unknown): string[] | undefined {
  const items = Array.isArray(data) ? data : (data as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? items.map((u: { id?: unknown }) => text(u.id)).filter(Boolean) : undefined;
}

/** What the answers say, read without trusting more than they show: a field missing stays unknown. */
export function readOwnerAnswers(answers: OwnerAnswers): OwnerReading {
  const me = dataOf(answers.login);
  if (!me) return { signedIn: false, refusal: refusalOf(answers.login), listsEveryUsersKeys: false };
  const settings = dataOf(answers.settings);
  const publicApi = settings?.publicApi as { enabled?: unknown } | undefined;
  const keysData = answers.apiKeys?.status === 200 ? (parse(answers.apiKeys.body) as { data?: unknown } | undefined)?.data : undefined;
  const keys = listedKeys(keysData);
  const scopes = Array.isArray(me.globalScopes) ? me.globalScopes : [];
  const users = answers.users?.status === 200 ? (parse(answers.users.body) as { data?: unknown } | undefined)?.data : undefined;
  return {
    signedIn: true,
    userId: text(me.id),
    ...(typeof settings?.versionCli === 'string' ? { version: settings.versionCli } : {}),
    ...(typeof publicApi?.enabled === 'boolean' ? { publicApiEnabled: publicApi.enabled } : {}),
    ...(keys ? { keys } : {}),
    ...(answers.apiKeys ? { keysAnswer: keys ? `${answers.apiKeys.status}, ${keys.length} key(s)` : `${refusalOf(answers.apiKeys)}` } : {}),
    listsEveryUsersKeys: !Array.isArray(keysData) && keys !== undefined && scopes.includes('apiKey:manage'),
    ...(userIdsOf(users) ? { userIds: userIdsOf(users) } : {}),
  };
}

/** The listed key that is this one: the same user and the same last characters. */
export function listedAs(reading: OwnerReading, sub: string | undefined, key: string): ListedKey | undefined {
  return reading.keys?.find((k) => k.lastChars.length > 0 && key.endsWith(k.lastChars) && (!sub || k.userId === sub));
}
