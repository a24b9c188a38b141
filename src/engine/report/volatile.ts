/**
 * What differs between two runs of the same behaviour: values a run makes up (temporary folders,
 * the ports Docker maps, clock readings, generated ids, container addresses, a generated key's last
 * characters) rather than values n8n chose. `authlab diff` compares answers with these replaced by a
 * placeholder, so two runs that behaved alike diff to nothing, while a status, a message or a fix
 * result that changed still shows.
 */
const VOLATILE: Array<{ name: string; pattern: RegExp; placeholder: string | ((match: string, ...groups: string[]) => string) }> = [
  // mkdtemp folders (/tmp/authlab-guide-code.node-3-2-6C70h4), also when cut short by a …
  { name: 'temporary folder', pattern: /(?:\/private)?\/(?:tmp|var\/folders\/[^\s/"']+\/[^\s/"']+\/T)\/[^\s/"'…]*/g, placeholder: '<tmp>' },
  // 2026-11-30T07:37:08.546Z, 2026-11-30 07:37:08, with or without a zone
  { name: 'timestamp', pattern: /\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?/g, placeholder: '<time>' },
  // a clock reading in epoch milliseconds, as n8n's error objects carry it ("timestamp":1796019619632)
  { name: 'epoch milliseconds', pattern: /\b1[6-9]\d{11}\b/g, placeholder: '<ms>' },
  // a UUID, or the start of one cut short by the answer's length limit (998ea931-bba3-46…)
  { name: 'uuid', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}(?:-[0-9a-f]{1,4}){0,3}(?:-[0-9a-f]{1,12})?(?![0-9a-z])/gi, placeholder: '<uuid>' },
  // a container's address on a Docker network
  { name: 'address', pattern: /\b(?:172\.(?:1[6-9]|2\d|3[01])|10\.\d{1,3}|192\.168)\.\d{1,3}\.\d{1,3}\b/g, placeholder: '<ip>' },
  // a port Docker mapped on this host (localhost:49153); a service's own port (n8n:5678) is kept
  { name: 'mapped port', pattern: /\b(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]|host\.docker\.internal|<ip>):\d{2,5}\b/g, placeholder: '$1:<port>' },
  // a Docker container id
  { name: 'container id', pattern: /\b[0-9a-f]{64}\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12}\b/g, placeholder: '<container>' },
  // an id n8n generates (workflow, credential, project: 16 letters and digits, mixed)
  { name: 'n8n id', pattern: /\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{16}\b/g, placeholder: '<id>' },
  // an execution's number in a path or a field (executions/123, "executionId":"123")
  { name: 'execution id', pattern: /(executions\/|"?execution(?:Id)?"?\s*[:=]\s*"?)\d+/gi, placeholder: '$1<n>' },
  // how many executions a queue gave each worker: which one takes a job is the queue's choice; all, some or none of them is what n8n did
  {
    name: 'execution count',
    pattern: /\b(\d+) of (\d+)\b(?= execution\(s\)| elsewhere)/g,
    placeholder: (_, part, whole) => share(Number(part), Number(whole)),
  },
  // how long an execution was watched before it was found still running (the wait is this run's, not n8n's)
  { name: 'seconds watched', pattern: /(still "running" after )\d+ s\b/g, placeholder: '$1<n> s' },
  // a masked secret keeps its last four characters, which a generated key makes new each run
  { name: 'masked secret', pattern: /<([a-z][a-z -]*) …[^>\s]{1,4}>/g, placeholder: '<$1 …>' },
];

export const VOLATILE_KINDS = VOLATILE.map((v) => v.name);

/** The text with every run-specific value replaced by its placeholder. */
export function withoutVolatile(text: string): string {
  return VOLATILE.reduce((t, v) => (typeof v.placeholder === 'string' ? t.replace(v.pattern, v.placeholder) : t.replace(v.pattern, v.placeholder)), text);
}

/** `3 of 3` -> `all of <n>`, `0 of 5` -> `none of <n>`, `1 of 3` -> `some of <n>`. */
function share(part: number, whole: number): string {
  return `${part === 0 ? 'none' : part === whole ? 'all' : 'some'} of <n>`;
}
