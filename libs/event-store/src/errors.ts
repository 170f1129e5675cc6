/** The stream was not at the expected version: someone else appended first. Maps to HTTP 409. */
export class StreamVersionConflict extends Error {
  readonly code = 'STREAM_VERSION_CONFLICT';
  constructor(
    public readonly streamId: string,
    public readonly expected: string,
    public readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${expected}`);
    this.name = 'StreamVersionConflict';
  }
}

export class InvalidEventError extends Error {
  readonly code = 'INVALID_EVENT';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}
