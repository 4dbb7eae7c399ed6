/** Every error code the product answers with, and its HTTP status. One map, one place. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  invalid_query: 400,
  invalid_task_id: 400,
  invalid_window: 400,
  unauthorized: 401,
  invalid_token: 401,
  forbidden: 403,
  csrf_failed: 403,
  // Issue 22 (scopes): an API token without the scope a route needs; `details.required_scope` names it.
  insufficient_scope: 403,
  not_found: 404,
  job_not_found: 404,
  candidate_not_found: 404,
  user_not_found: 404,
  token_not_found: 404,
  source_not_found: 404,
  task_not_found: 404,
  schedule_not_found: 404,
  webhook_not_found: 404,
  // hooks (issue 22 item 4): a delivery id that is not in that endpoint's log.
  webhook_delivery_not_found: 404,
  // alerts (issue 23 item 1); email_not_configured: an email channel while SMTP_URL is not set.
  alert_channel_not_found: 404,
  alert_rule_not_found: 404,
  email_not_configured: 422,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  slug_taken: 409,
  duplicate_candidate: 409,
  name_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  no_hired_candidates: 422,
  no_active_sources: 422,
  invalid_state: 422,
  // Issue 24 (u4): a CSV import where every row has errors, so skipping the bad ones would import nothing.
  no_valid_rows: 422,
  // Issue 20 (connectors): a source's connector that the registry does not know.
  unknown_connector: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

/** The one error type. `details` must never carry secrets: it is sent to the client. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, details?: unknown, headers?: Record<string, string>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Postgres unique violations mapped to a readable conflict. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return !!e && e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
