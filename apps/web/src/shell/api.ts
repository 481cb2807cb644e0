import { useEffect, useState } from 'react';
import { endSession, readSession } from './session';

/** One refused field, as the API's problem details name it (`errors[]`). */
export interface FieldProblem {
  field: string;
  rule: string;
  detail: string;
}

/** An RFC 9457 answer of the API (or a network failure, status 0), as thrown by apiGet/apiPost. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly rule: string | undefined,
    readonly field: string | undefined,
    readonly errors: FieldProblem[],
    readonly retryAfter?: number,
  ) {
    super(detail ?? title);
  }

  /** The messages about one field (`period`, `motions[0].text`…), for the form that shows them beside it. */
  forField(field: string): FieldProblem[] {
    const own = this.errors.filter((e) => e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`));
    if (own.length > 0) return own;
    return this.field === field && this.rule ? [{ field, rule: this.rule, detail: this.detail ?? this.title }] : [];
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // not JSON: the status alone
  }
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiProblem(
    response.status,
    typeof body.title === 'string' ? body.title : response.statusText,
    typeof body.detail === 'string' ? body.detail : undefined,
    typeof body.rule === 'string' ? body.rule : undefined,
    typeof body.field === 'string' ? body.field : undefined,
    Array.isArray(body.errors) ? (body.errors as FieldProblem[]) : [],
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

async function send(method: 'GET' | 'POST', path: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
  const session = readSession();
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  if (session) headers.Authorization = `Bearer ${session.token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiProblem(0, 'network', (error as Error).message, undefined, undefined, []);
  }
  if (response.status === 401 && session) endSession(); // expired or revoked: back to the login page
  if (!response.ok) throw await problemOf(response);
  return response;
}

/** GET a JSON answer of the API, with the session's token. */
export async function apiGet<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
  const response = await send('GET', withQuery(path, query), { signal });
  return (await response.json()) as T;
}

/** GET a text answer (the raw checkpoint note). */
export async function apiGetText(path: string, signal?: AbortSignal): Promise<string> {
  const response = await send('GET', path, { signal, headers: { Accept: 'text/plain' } });
  return response.text();
}

/** What a command's 201 answers: the event's `seq` (read your writes with `?seq=`), and the stream's version. */
export interface CommandAnswer {
  seq?: number;
  streamVersion?: number;
  [key: string]: unknown;
}

/**
 * POST a command. Each call carries a fresh Idempotency-Key, kept by the caller for its retries: a
 * form retried after a network failure records the report once (ADR 4).
 */
export async function apiPost(path: string, body: unknown, options: { idempotencyKey?: string; ifMatch?: string } = {}): Promise<CommandAnswer> {
  const headers: Record<string, string> = {};
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  const response = await send('POST', path, { body, headers });
  const text = await response.text();
  return text ? (JSON.parse(text) as CommandAnswer) : {};
}

export interface Loaded<T> {
  data?: T;
  error?: ApiProblem;
  loading: boolean;
  reload(): void;
}

/** Loads a GET answer for a page, again whenever `key` changes (a path and query, usually). */
export function useApi<T>(path: string | undefined, query: Query = {}): Loaded<T> {
  const url = path === undefined ? undefined : withQuery(path, query);
  const [state, setState] = useState<{ url?: string; data?: T; error?: ApiProblem; loading: boolean }>({ loading: url !== undefined });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (url === undefined) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    apiGet<T>(url, {}, controller.signal).then(
      (data) => setState({ url, data, loading: false }),
      (error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        setState({ url, error: error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error), undefined, undefined, []), loading: false });
      },
    );
    return () => controller.abort();
  }, [url, generation]);
  // An answer to another address is never shown for this one (the render between the change and the effect).
  const current = state.url === url;
  return { data: current ? state.data : undefined, error: current ? state.error : undefined, loading: current ? state.loading : url !== undefined, reload: () => setGeneration((g) => g + 1) };
}

/** A new idempotency key (a UUID) for one submission of a form. */
export const newIdempotencyKey = (): string => crypto.randomUUID();
