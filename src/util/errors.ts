// A UserError is a problem with the user's input or environment: shells print its message (one actionable
// paragraph) and exit non-zero, never a stack trace. Anything else is a bug and is reported as such.
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string
  ) {
    super(hint ? `${message}\n${hint}` : message);
    this.name = 'UserError';
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;

/** The message a shell shows for any thrown value. */
export function describeError(e: unknown): string {
  if (isUserError(e)) return e.message;
  if (isCancelledError(e)) return e.message;
  const msg = e instanceof Error ? e.message : String(e);
  return `Unexpected internal error: ${msg}\nPlease report it at https://github.com/image-audit/image-audit/issues with the command you ran.`;
}

/** The run was cancelled (a signal): not a bug and not bad input; shells report it as "cancelled". */
export class CancelledError extends Error {
  constructor(readonly reason: string) {
    super(`image-audit was cancelled (${reason}).`);
    this.name = 'CancelledError';
  }
}

export const isCancelledError = (e: unknown): e is CancelledError => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'CancelledError';
