import { mask } from '../../base/secrets.ts';
import type { N8nContainerSettings } from './n8n-settings.ts';
import type { ContainerExit } from './n8n-wait.ts';

export class N8nStartError extends Error {
  readonly lastLogLines: string[];
  /** Set when n8n exited (rather than hanging): its exit code. */
  readonly exit: ContainerExit | undefined;
  /** What was started, data volume included: a later start over the same data begins from here. */
  readonly settings: Readonly<N8nContainerSettings>;

  constructor(settings: N8nContainerSettings, cause: unknown, lastLogLines: string[], exit?: ContainerExit) {
    const block = lastLogLines.map((l) => `  | ${l}`).join('\n');
    const how = exit ? `it exited with code ${exit.exitCode}` : cause instanceof Error ? cause.message : String(cause);
    super(mask(`n8n ${settings.version} (${settings.image}) did not start: ${how}\n  last ${lastLogLines.length} log lines:\n${block || '  | (no output)'}`), {
      cause,
    });
    this.name = 'N8nStartError';
    this.lastLogLines = lastLogLines;
    this.exit = exit;
    this.settings = settings;
  }

  /** The line of its output that says why it stopped (an encryption-key error first), trimmed. */
  get said(): string {
    const lines = this.lastLogLines;
    const line =
      lines.find((l) => /\bError: .*(encryption key|cannot be read)/i.test(l)) ??
      lines.find((l) => /\bError: /.test(l)) ??
      lines.find((l) => /error/i.test(l)) ??
      lines.at(-1) ??
      '';
    return line.trim();
  }
}
