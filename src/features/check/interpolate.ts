import { UserError } from '../../base/user-error.ts';

/** A variable the compose file requires (`${VAR:?message}`) is not set. */
export class MissingVariableError extends UserError {
  constructor(name: string, message: string) {
    super(`the compose file requires ${name}: ${message || 'not set'} (give --env-file)`);
    this.name = 'MissingVariableError';
  }
}

type Vars = Record<string, string | undefined>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** The index of the `}` that closes the `${` whose body starts at `from`, skipping nested `${...}`. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The value of one `${...}` body: a name, then an optional operator and its (itself interpolated) argument. */
function expand(body: string, vars: Vars): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new UserError(`the compose file has an invalid interpolation: \${${body}}`);
  const value = vars[name];
  const rest = body.slice(name.length);
  if (!rest) return value ?? '';
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op) throw new UserError(`the compose file has an invalid interpolation: \${${body}}`);
  const arg = () => interpolate(rest.slice(op.length), vars);
  // With a colon, an empty value counts as unset; without, only an absent one does.
  const set = op.startsWith(':') ? Boolean(value) : value !== undefined;
  if (op.endsWith('-')) return set ? value! : arg();
  if (op.endsWith('+')) return set ? arg() : '';
  if (!set) throw new MissingVariableError(name, arg());
  return value!;
}

/**
 * A string as `docker compose` interpolates it: `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?error}`, `${VAR?error}` (defaults may nest `${...}`), and `$$`
 * for a literal `$`. An unset variable without a default is the empty string, as compose makes it.
 * @example interpolate('docker.n8n.io/n8nio/n8n:${N8N_VERSION:-stable}', env) // the image a .env pins
 */
export function interpolate(text: string, vars: Vars): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) throw new UserError(`the compose file has an unclosed interpolation: ${text.slice(i)}`);
      out += expand(text.slice(i + 2, end), vars);
      i = end;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) out += '$';
      else {
        out += vars[name] ?? '';
        i += name.length;
      }
    }
  }
  return out;
}

/** Every string in a parsed YAML value interpolated (values only: compose never interpolates keys). */
export function interpolateDeep(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, vars)]));
  return value;
}

/**
 * The variables compose interpolates with: the shell's environment wins over the project's `.env`,
 * and a `.env` value may refer to the variables before it (as compose v2 reads it).
 */
export function projectVariables(dotenv: Record<string, string>, shell: Vars): Vars {
  const vars: Vars = { ...shell };
  for (const [k, v] of Object.entries(dotenv)) if (shell[k] === undefined) vars[k] = interpolate(v, vars);
  return vars;
}
