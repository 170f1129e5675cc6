export type DomainErrorStatus = 400 | 401 | 403 | 404 | 409 | 422;

/**
 * A rule of the domain said no. Deciders throw these; the HTTP layer maps `status` and renders
 * `message` (Chinese, shown to officers) with the machine-readable `code` and `details`.
 */
export class DomainError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status: DomainErrorStatus = 422,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
