import type { EventStore } from '@mel/event-store';
import type { TestApp } from './test-app';
import { authorization, type TestActor } from './tokens';

/** What the API answered: the status, the headers, and the body parsed as JSON (undefined when empty). */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any; // any: each test reads the fields its route answers
}

/** Who acts: an actor object turned into a bearer token, or null for a request without one. */
export type ActorHeader = object | null;

export interface ApiClientOptions {
  /** The actor of a call that names none. Unset: such a call is sent without the bearer token. */
  actor?: ActorHeader;
  /** Fields every `step` body starts with, the step's own fields winning (e.g. `{ effectiveAt }`). `post` sends bodies as given. */
  stepBody?: object;
  /** Whether `step` also checks that the ETag names the streamVersion it answers. */
  checkEtag?: boolean;
}

export interface ApiClient {
  /**
   * POSTs `body` to `path` as JSON (a string is sent as it is, for malformed or hand-made bodies), with
   * the actor's bearer token (`null`: no header) and any extra headers (If-Match,
   * Idempotency-Key…). Asserts nothing.
   */
  post(path: string, body: unknown, actor?: ActorHeader, headers?: Record<string, string>): Promise<ApiAnswer>;
  /**
   * A POST that must succeed: 201 (else it throws, naming the path, the status and the body), and the
   * seq it answers is the store's head; with `checkEtag`, the ETag names the answered streamVersion.
   */
  step(path: string, body: unknown, actor?: ActorHeader, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** A POST that must be refused with `status` and `rule`, as problem details, writing nothing. */
  refused(status: number, rule: string, path: string, body: unknown, actor?: ActorHeader, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** Runs `action` and checks that the store's head has not moved; answers what the action answered. */
  expectNothingWritten<T>(action: () => Promise<T>): Promise<T>;
  /** The event types of a stream, in stream order. */
  typesOf(streamId: string): Promise<string[]>;
}

/**
 * The HTTP helpers of the end-to-end tests, bound to a test's API and event store.
 *
 * `target` is read at each call, not when the client is made, so that a test file can make its client
 * in the body of `describe` while its `beforeAll` starts the API and opens the store:
 *
 *     const { post, step, expectNothingWritten } = apiClient(() => ({ api, store }), { actor: admin });
 */
export function apiClient(target: () => { api: TestApp; store: Pick<EventStore, 'head' | 'readStream'> }, options: ApiClientOptions = {}): ApiClient {
  const { actor: defaultActor = null, stepBody, checkEtag = false } = options;

  async function post(path: string, body: unknown, actor: ActorHeader = defaultActor, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const response = await fetch(`${target().api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authorization(actor as TestActor | null)), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  async function step(path: string, body: unknown, actor: ActorHeader = defaultActor, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const response = await post(path, stepBody ? { ...stepBody, ...(body as object) } : body, actor, headers);
    if (response.status !== 201) throw new Error(`POST ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
    expect(response.body.seq).toBe(await target().store.head());
    if (checkEtag) expect(response.headers.get('etag')).toBe(`"${response.body.streamVersion}"`);
    return response;
  }

  async function refused(status: number, rule: string, path: string, body: unknown, actor: ActorHeader = defaultActor, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const before = await target().store.head();
    const response = await post(path, body, actor, headers);
    expect({ status: response.status, rule: response.body?.rule }).toEqual({ status, rule });
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await target().store.head()).toBe(before);
    return response;
  }

  async function expectNothingWritten<T>(action: () => Promise<T>): Promise<T> {
    const before = await target().store.head();
    const result = await action();
    expect(await target().store.head()).toBe(before);
    return result;
  }

  async function typesOf(streamId: string): Promise<string[]> {
    return (await target().store.readStream(streamId)).map((e) => e.type);
  }

  return { post, step, refused, expectNothingWritten, typesOf };
}
