/**
 * Plain-language reasons for the error codes a delivery can end with (lib/sync/connectors/outcomes.ts,
 * lib/http/outbound-client.ts, lib/sync/connectors/rest-batch.ts, lib/sync/sweep.ts, cancelRun), for
 * people who do not read HTTP. Shared by the recruiter's progress modal and the Hired table.
 */
export type FailureFacts = {
  code: string | null;
  http_status: number | null;
  message: string | null;
};

function seconds(message: string | null, timeoutMs?: number): string | null {
  const stated = message ? /within ([\d.]+) ?s\b/.exec(message)?.[1] : undefined;
  if (stated) return stated;
  return timeoutMs ? String(Math.round(timeoutMs / 100) / 10) : null;
}

const http = (status: number | null) => (status ? ` (HTTP ${status})` : '');

/** The detail a source sent with an item's refusal, without our own "HTTP 400: " prefix. */
function detailOf(message: string | null): string | null {
  const text = message?.replace(/^HTTP \d{3}:?\s*/, '').trim();
  return text ? text.slice(0, 200) : null;
}

/**
 * `waiting`: the error of an attempt after which the delivery waits for another one (the progress
 * modal's and the task page's "waiting to retry"), not of the last attempt.
 */
export function explainFailure(failure: FailureFacts, options: { timeoutMs?: number; waiting?: boolean } = {}): string {
  const { code, http_status: status, message } = failure;
  switch (code) {
    case 'rejected':
      return status === 422
        ? `The source found the data invalid${http(status)}`
        : `The source rejected the data${http(status)}`;
    case 'timeout': {
      if (status === 408) return 'The source gave up waiting for our request (HTTP 408)';
      const s = seconds(message, options.timeoutMs);
      return s ? `The source did not answer within ${s} s` : 'The source did not answer in time';
    }
    case 'auth_failed':
      return `The source refused our credentials${http(status ?? 401)} — an admin should check the source's token`;
    case 'rate_limited':
      return `The source received too many requests and asked us to slow down${http(status ?? 429)}; retrying later usually works`;
    case 'server_error':
      return `The source had an internal problem${http(status)}; retrying later usually works`;
    case 'connection_failed':
      return message ? `Could not reach the source: ${message}` : 'Could not reach the source';
    case 'destination_blocked':
      return "The source's address is on an internal network this server may not reach — an admin should check the source's address";
    case 'redirect':
      return `The source answered with a redirect${http(status)} — an admin should check the source's address`;
    case 'invalid_response':
      return "The source's answer did not say whether this candidate was accepted";
    case 'item_rejected': {
      const detail = detailOf(message);
      return detail ? `The source refused this candidate: ${detail}` : 'The source refused this candidate';
    }
    case 'item_retry':
      return options.waiting
        ? 'The source asked us to try this candidate again later'
        : 'The source asked us to try this candidate again later, and all attempts were used';
    case 'source_inactive':
      return 'The source was deactivated or deleted before this candidate was sent';
    case 'cancelled':
      return 'The sync was cancelled before this candidate was sent';
    default:
      if (status) return `The source answered with an error${http(status)}`;
      return message ? `Failed: ${message.slice(0, 200)}` : 'Failed for an unknown reason';
  }
}
