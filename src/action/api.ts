// The one Octokit client of a run, with what a real runner needs from it: retries with backoff on 5xx and 429
// (@octokit/plugin-retry), GitHub's rate-limit rules — primary and secondary limits, one write at a time,
// spaced (@octokit/plugin-throttling) — a timeout on every HTTP attempt, a bound on the run's total API time,
// cancellation, and errors that say what GitHub answered to which request.
import { getOctokit } from '@actions/github';
import { defaults as actionsDefaults } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import type { Logger } from '../util/runtime.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface ApiOptions {
  baseUrl: string;
  log: Logger;
  /** One HTTP attempt gives up after this long (default 30 s). */
  requestTimeoutMs?: number;
  /** All API calls of the run together, retries and waits included (default 150 s). */
  totalBudgetMs?: number;
  /** Retries after the first attempt, for 5xx, 429 and timeouts (default 3). */
  retries?: number;
  /** Milliseconds per "second" of backoff and Retry-After (1000; tests make it small). */
  backoffUnitMs?: number;
  /** Pause between two writes (GitHub asks for 1 s between content-creating requests; tests use 0). */
  writeSpacingMs?: number;
  /** Aborts every request (the run was cancelled). */
  signal?: AbortSignal;
  /** The fetch to wrap (defaults to @actions/github's, which honours the runner's proxy settings). */
  fetch?: typeof fetch;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_TOTAL_BUDGET_MS = 150_000;

/** An HTTP attempt that got no answer in time; the retry plugin retries it like a 5xx. */
export class ApiTimeoutError extends Error {
  override name = 'ApiTimeoutError';
}

/** Thrown (as an AbortError, so nothing retries it) once the run's API time is used up or the run is cancelled. */
function abortError(message: string): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}

export function createOctokit(token: string, opts: ApiOptions): Octokit {
  const requestTimeoutMs = Math.min(opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS);
  const budgetMs = opts.totalBudgetMs ?? DEFAULT_TOTAL_BUDGET_MS;
  const unit = opts.backoffUnitMs ?? 1000;
  const spacing = opts.writeSpacingMs ?? 1000;
  const deadline = Date.now() + budgetMs;
  const baseFetch: typeof fetch = opts.fetch ?? (actionsDefaults.request?.fetch as typeof fetch | undefined) ?? fetch;
  const attempts = new Map<string, number>();

  const timedFetch = async (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const key = `${init.method ?? 'GET'} ${String(url)}`;
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
    if (opts.signal?.aborted) throw abortError('the run was cancelled');
    const left = deadline - Date.now();
    if (left <= 0) throw abortError(`the run's GitHub API time (${seconds(budgetMs)}) is used up`);
    const limit = Math.min(requestTimeoutMs, left);
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(), limit);
    const signals = [timer.signal, ...(opts.signal ? [opts.signal] : []), ...(init.signal ? [init.signal] : [])];
    try {
      return await baseFetch(url, { ...init, signal: AbortSignal.any(signals) });
    } catch (e) {
      if (opts.signal?.aborted) throw abortError('the run was cancelled');
      if (timer.signal.aborted) throw new ApiTimeoutError(`no answer within ${seconds(limit)}`);
      throw e;
    } finally {
      clearTimeout(handle);
    }
  };

  // Rate limits: retry when GitHub's wait fits in what is left of the budget, at most twice.
  const onLimit = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
    const waitMs = retryAfter * unit;
    const fits = retryCount < 2 && Date.now() + waitMs < deadline;
    opts.log.warning(
      `GitHub's ${kind} rate limit was hit on ${options.method ?? ''} ${options.url ?? ''}; ${fits ? `retrying in ${retryAfter} s` : 'not retrying (it would exceed the time allowed for API calls)'}.`
    );
    return fits;
  };

  const group = (minTime: number) => new Bottleneck.Group({ id: `image-audit-${Math.random()}`, maxConcurrent: 1, minTime });
  return getOctokit(
    token,
    {
      baseUrl: opts.baseUrl,
      request: { fetch: timedFetch },
      retry: { retries: opts.retries ?? 3, retryAfterBaseValue: unit },
      throttle: {
        retryAfterBaseValue: unit,
        fallbackSecondaryRateRetryAfter: 60,
        // Writes one at a time, spaced as GitHub asks; the plugin's defaults are process-wide groups with fixed spacing.
        write: group(spacing),
        notifications: group(spacing),
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary')
      },
      log: {
        debug: (m: string) => opts.log.debug(m),
        info: (m: string) => opts.log.debug(m),
        warn: (m: string) => opts.log.debug(m),
        error: (m: string) => opts.log.debug(m)
      }
    },
    retry,
    throttling
  ) as Octokit;

  function seconds(ms: number): string {
    return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
  }
}

interface RequestErrorLike {
  status: number;
  request?: { method?: string; url?: string };
  response?: { status: number; data?: unknown; headers?: Record<string, string | undefined> };
  message: string;
  cause?: unknown;
  name?: string;
}

const isRequestErrorLike = (e: unknown): e is RequestErrorLike =>
  typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' && 'message' in e;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout'
};

/** `POST /repos/o/r/issues/7/comments`: the request without host, query or token. */
function requestLine(e: RequestErrorLike): string {
  const method = e.request?.method ?? '';
  let where = e.request?.url ?? '';
  try {
    where = new URL(where).pathname;
  } catch {
    // already a path
  }
  return `${method} ${where}`.trim();
}

export interface ApiFailure {
  /** One sentence: what GitHub answered (or did not) to which request. */
  message: string;
  status?: number;
  kind: 'http' | 'timeout' | 'network' | 'aborted';
}

/** Describes an API error, or undefined when it is not one (then it is a bug). */
export function describeApiError(e: unknown): ApiFailure | undefined {
  if (e instanceof Error && e.name === 'AbortError') return { kind: 'aborted', message: `GitHub API calls stopped: ${e.message}` };
  if (!isRequestErrorLike(e) || !e.request) return undefined;
  const line = requestLine(e);
  if (e.response) {
    const status = e.response.status;
    const data = e.response.data as { message?: unknown } | undefined;
    const said = typeof data?.message === 'string' && data.message ? `: ${data.message.slice(0, 300)}` : '';
    return { kind: 'http', status, message: `GitHub answered ${status} ${REASONS[status] ?? ''}`.trim() + ` on ${line}${said}` };
  }
  if (e.cause instanceof ApiTimeoutError) return { kind: 'timeout', message: `GitHub did not answer ${line} (${e.cause.message}, retries included)` };
  return { kind: 'network', message: `GitHub could not be reached for ${line}: ${rootCause(e)}` };
}

/** `fetch failed` says nothing: the innermost cause (`connect ECONNREFUSED 127.0.0.1:443`, `getaddrinfo ENOTFOUND`) does. */
function rootCause(e: RequestErrorLike): string {
  let message = e.message;
  let current: unknown = e.cause;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const m = (current as { message?: unknown }).message;
    if (typeof m === 'string' && m) message = m;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}
