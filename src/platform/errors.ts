/**
 * Typed errors that services throw. One handler in app.ts turns each into a page or a JSON answer,
 * so routes never build error responses by hand.
 */
export class HubError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** Also used for records outside the caller's borough scope: their existence is not revealed. */
export class NotFound extends HubError {
  constructor(message = 'Not found') {
    super(message, 404)
  }
}

export class Forbidden extends HubError {
  constructor(message = 'You do not have permission to do that') {
    super(message, 403)
  }
}

/** Over a rate limit: wait and try again. */
export class TooManyRequests extends HubError {
  constructor(message = 'Too many requests: wait a few minutes and try again') {
    super(message, 429)
  }
}

export class Conflict extends HubError {
  constructor(message: string) {
    super(message, 409)
  }
}

/** A request that breaks a rule of the domain, with a message fit to show the person. */
export class Invalid extends HubError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message, 400)
  }
}

/** The Hub cannot answer just now: its database is out of reach, or this process is shutting down. */
export class ServiceUnavailable extends HubError {
  constructor(readonly closing = false) {
    super('Service unavailable: try again in a few moments', 503)
  }
}
