import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { FIXTURES_DIR } from '../images/paths.ts';

/**
 * A `.env` file on the host, as a docker compose user edits it. Compose reads it into the
 * container's env only when it creates the container (`vars()` then); a file mounted into the
 * container is read by whatever reads it there (`text()`).
 */
export class EnvFile {
  readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  /** Writes fixtures/env/<name>.env with its @@placeholders@@ filled in to `dir`. */
  static async fromFixture(name: string, dir: string, values: Record<string, string>): Promise<EnvFile> {
    let text = await readFile(join(FIXTURES_DIR, 'env', `${name}.env`), 'utf8');
    for (const [key, value] of Object.entries(values)) text = text.replaceAll(`@@${key}@@`, value);
    const file = new EnvFile(join(dir, '.env'));
    await writeFile(file.path, text);
    return file;
  }

  text(): Promise<string> {
    return readFile(this.path, 'utf8');
  }

  /** The variables as compose passes them (`env_file:`), parsed with dotenv as n8n itself parses a .env. */
  async vars(): Promise<Record<string, string>> {
    return parse(await this.text());
  }

  /** An edit in place: the line `name=...` gets the new value (appended when absent). */
  async set(name: string, value: string): Promise<void> {
    const lines = (await this.text()).split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${name}=`));
    if (at >= 0) lines[at] = `${name}=${value}`;
    else lines.splice(lines.length - 1, 0, `${name}=${value}`);
    await writeFile(this.path, lines.join('\n'));
  }
}
