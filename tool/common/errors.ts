/**
 * Thrown for problems the user fixes by changing arguments or the app (no such function, a path that cannot be
 * read or written, a timeout out of bounds, OpenTelemetry packages missing). The CLI prints its message as one
 * line and exits 2; `LocalTrace.invoke` rejects with it.
 */
export class LocalTraceUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalTraceUsageError';
  }
}
