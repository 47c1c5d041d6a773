// A real HTTP server on 127.0.0.1 (random port) standing in for the GitHub REST API, the only fake the
// project allows. It speaks the endpoints the action uses — issue comments (list with Link-header pagination,
// create, update), issues (list, create, update, comment) and check runs (create, update) — records every
// request, enforces GitHub's limits (65,536-character bodies, 50 annotations per request) with 422s, and can
// be told to answer 403 like a read-only token does. Tokens act as identities (`tokens`): what is created is
// authored by the token's identity, GET /user and the GraphQL `viewer` answer as GitHub does for user and
// installation tokens. `fault` scripts failures: a status (502, 429 with Retry-After…) or a request that hangs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  status: number;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
}

export interface FakeIssue {
  number: number;
  user?: { login: string; type: string };
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  labels: string[];
  html_url: string;
  pull_request?: { url: string };
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  output: { title?: string; summary?: string; text?: string; annotations: unknown[] };
  html_url: string;
}

/** An identity behind a token. Installation tokens (GITHUB_TOKEN is one) cannot call GET /user. */
export interface FakeIdentity {
  login: string;
  type: 'User' | 'Bot';
  installation: boolean;
}

export const WORKFLOW_BOT: FakeIdentity = { login: 'github-actions[bot]', type: 'Bot', installation: true };

/** A scripted answer: an HTTP status (with optional body and headers), or 'hang' (never answers). */
export type FakeFault = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

export class FakeGitHub {
  /** Token → identity; any other token acts as the workflow's GITHUB_TOKEN. */
  readonly tokens = new Map<string, FakeIdentity>();
  /** Called for each request before routing; a fault it returns is answered instead. */
  fault: (method: string, path: string, attempt: number) => FakeFault | undefined = () => undefined;
  private attempts = new Map<string, number>();
  readonly requests: RecordedRequest[] = [];
  readonly comments: FakeComment[] = [];
  readonly issues: FakeIssue[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  /** Requests for which this returns true get a 403 (e.g. a read-only GITHUB_TOKEN on a fork PR). */
  forbid: (method: string, path: string) => boolean = () => false;
  private nextId = 1000;
  private server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Seeds a comment as if someone (or an earlier run) had posted it. */
  addComment(issue: number, body: string, login = 'someone', type = 'User'): FakeComment {
    const id = this.nextId++;
    const c = { id, issue, body, user: { login, type }, html_url: `https://github.test/o/r/pull/${issue}#issuecomment-${id}` };
    this.comments.push(c);
    return c;
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  /** Requests that changed something (not GET, and not a GraphQL query). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql');
  }

  /** Forgets comments, issues, check runs, requests and scripted behaviour. */
  reset(): void {
    this.comments.length = 0;
    this.issues.length = 0;
    this.checkRuns.length = 0;
    this.requests.length = 0;
    this.attempts.clear();
    this.tokens.clear();
    this.forbid = () => false;
    this.fault = () => undefined;
  }

  private identityOf(authorization: string): FakeIdentity {
    const token = authorization.replace(/^(token|Bearer) /, '');
    return this.tokens.get(token) ?? WORKFLOW_BOT;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url);
      const method = req.method ?? 'GET';
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const record: RecordedRequest = { method, path: url.pathname, query: url.searchParams, body, status: 0 };
      this.requests.push(record);
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(data === undefined ? '' : JSON.stringify(data));
      };
      if (!/^(token|Bearer) \S+/.test(req.headers.authorization ?? '')) return send(401, { message: 'Requires authentication' });
      const key = `${method} ${url.pathname}`;
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      const fault = this.fault(method, url.pathname, attempt);
      if (fault === 'hang') {
        record.status = -1; // never answered
        return;
      }
      if (fault) return send(fault.status, fault.body ?? { message: http.STATUS_CODES[fault.status] ?? 'error' }, fault.headers);
      if (this.forbid(method, url.pathname)) return send(403, { message: 'Resource not accessible by integration' });
      const who = this.identityOf(req.headers.authorization ?? '');
      try {
        this.route(method, url, body, send, who);
      } catch (e) {
        send(500, { message: String(e) });
      }
    });
  }

  private page<T>(items: T[], url: URL, send: (s: number, d: unknown, h?: Record<string, string>) => void): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    send(200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
  }

  private route(method: string, url: URL, body: any, send: (s: number, d: unknown, h?: Record<string, string>) => void, who: FakeIdentity): void {
    const p = url.pathname;
    let m: RegExpExecArray | null;
    const tooLong = (s: unknown) => typeof s === 'string' && s.length > 65536;
    const user = { login: who.login, type: who.type };

    if (p === '/user' && method === 'GET') {
      if (who.installation)
        return send(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user'
        });
      return send(200, { login: who.login, type: who.type, id: 1 });
    }
    if (p === '/graphql' && method === 'POST') {
      if (!/viewer/.test(String(body?.query))) return send(200, { errors: [{ message: 'only viewer is faked' }] });
      // GraphQL names a bot without the `[bot]` suffix REST puts on its comments.
      return send(200, { data: { viewer: { login: who.login.replace(/\[bot\]$/, ''), __typename: who.type } } });
    }

    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(p))) {
      const issue = Number(m[1]);
      if (method === 'GET') return this.page(this.commentsOn(issue), url, send);
      if (method === 'POST') {
        if (tooLong(body?.body))
          return send(422, {
            message: 'Validation Failed',
            errors: [{ field: 'body', code: 'custom', message: 'body is too long (maximum is 65536 characters)' }]
          });
        const c = this.addComment(issue, body.body, user.login, user.type);
        return send(201, c);
      }
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(p)) && method === 'PATCH') {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      if (tooLong(body?.body)) return send(422, { message: 'Validation Failed' });
      c.body = body.body;
      return send(200, c);
    }
    if (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(p)) {
      if (method === 'GET') {
        const state = url.searchParams.get('state') ?? 'open';
        return this.page(
          this.issues.filter((i) => state === 'all' || i.state === state),
          url,
          send
        );
      }
      if (method === 'POST') {
        if (tooLong(body?.body)) return send(422, { message: 'Validation Failed' });
        const number = this.issues.length + 1 + 100;
        const issue: FakeIssue = {
          number,
          user,
          title: body.title,
          body: body.body ?? '',
          state: 'open',
          labels: body.labels ?? [],
          html_url: `https://github.test/o/r/issues/${number}`
        };
        this.issues.push(issue);
        return send(201, issue);
      }
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(p)) && method === 'PATCH') {
      const issue = this.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (tooLong(body?.body)) return send(422, { message: 'Validation Failed' });
      Object.assign(issue, body);
      return send(200, issue);
    }
    if (/^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(p) && method === 'POST') {
      const problem = this.checkOutputProblem(body?.output);
      if (problem) return send(422, { message: problem });
      const id = this.nextId++;
      const run: FakeCheckRun = {
        id,
        name: body.name,
        head_sha: body.head_sha,
        status: body.status ?? 'queued',
        conclusion: body.conclusion,
        output: { ...(body.output ?? {}), annotations: [...(body.output?.annotations ?? [])] },
        html_url: `https://github.test/o/r/runs/${id}`
      };
      this.checkRuns.push(run);
      return send(201, run);
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(p)) && method === 'PATCH') {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return send(404, { message: 'Not Found' });
      const problem = this.checkOutputProblem(body?.output);
      if (problem) return send(422, { message: problem });
      const { output, ...rest } = body;
      Object.assign(run, rest);
      if (output) {
        const annotations = [...run.output.annotations, ...(output.annotations ?? [])];
        run.output = { ...run.output, ...output, annotations };
      }
      return send(200, run);
    }
    send(404, { message: `Not Found: ${method} ${p}` });
  }

  private checkOutputProblem(output: any): string | undefined {
    if (!output) return undefined;
    if ((output.annotations?.length ?? 0) > 50) return 'Only 50 annotations may be sent per request';
    if (typeof output.summary === 'string' && output.summary.length > 65535) return 'output.summary is too long';
    for (const a of output.annotations ?? []) {
      if (!a.path || !a.start_line || !a.end_line || !a.annotation_level || !a.message) return 'Invalid annotation';
    }
    return undefined;
  }
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  return new FakeGitHub().start();
}
