/**
 * An error the user can act on (bad input, no Docker engine, a file that is not a ledger, a
 * deployment that cannot be reproduced): the CLI prints its message as one line, without a stack,
 * and exits with its code.
 */
export class UserError extends Error {
  readonly exitCode: number = 2;
  /** End the process at once: calls still pending (to an engine that went away) may never settle. */
  readonly endsProcess: boolean = false;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserError';
  }
}
