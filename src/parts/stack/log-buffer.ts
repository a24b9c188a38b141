import type { Readable } from 'node:stream';

interface LogLine {
  at: number;
  text: string;
}

/** Keeps a container's output as lines, so a probe can read what n8n logged while it ran. */
export class LogBuffer {
  private readonly lines: LogLine[] = [];
  private partial = '';

  attach(stream: Readable): void {
    stream.on('data', (chunk: Buffer | string) => this.push(chunk.toString()));
    stream.on('end', () => this.flush());
  }

  /** A mark to read from later: everything logged after it is `since(mark)`. */
  mark(): number {
    return this.lines.length;
  }

  since(mark: number): string[] {
    return this.lines.slice(mark).map((l) => l.text);
  }

  tail(count: number): string[] {
    return this.lines.slice(-count).map((l) => l.text);
  }

  all(): string[] {
    return this.lines.map((l) => l.text);
  }

  /** Resolves when a line matching `pattern` arrives after `mark`, or with undefined after `timeoutMs`. */
  async waitFor(pattern: RegExp, mark = 0, timeoutMs = 2000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.since(mark).find((l) => pattern.test(l));
      if (hit !== undefined || Date.now() > deadline) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private push(text: string): void {
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const p of parts) if (p.length > 0) this.lines.push({ at: Date.now(), text: stripAnsi(p) });
  }

  private flush(): void {
    if (this.partial) this.lines.push({ at: Date.now(), text: stripAnsi(this.partial) });
    this.partial = '';
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}
