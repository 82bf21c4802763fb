/** A tiny cookie-keeping client over fetch, for tests against a real server process. */
export class HttpClient {
  private cookies = new Map<string, string>();
  /** defaultHeaders go with every request (the bench's X-Forwarded-Proto, for one). */
  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.defaultHeaders)) headers.set(name, value);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader);
    const res = await fetch(this.baseUrl + path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  }

  async get(path: string): Promise<{ status: number; text: string; res: Response }> {
    const res = await this.request(path);
    return { status: res.status, text: await res.text(), res };
  }

  async csrf(path = '/'): Promise<string> {
    const page = await this.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no _csrf on ${path} (${page.status})`);
    return token;
  }

  async postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Logs in through the real form; resolves with the POST's status (303 on success). */
  /** The Retry-After of the last login answered 503, in seconds. */
  lastRetryAfterS: number | undefined;

  async logIn(email: string, password: string): Promise<number> {
    const _csrf = await this.csrf('/login');
    const res = await this.postForm('/login', { _csrf, email, password });
    await res.arrayBuffer();
    const retryAfter = Number(res.headers.get('retry-after'));
    this.lastRetryAfterS = res.status === 503 && retryAfter > 0 ? retryAfter : undefined;
    return res.status;
  }

  async register(email: string, password: string): Promise<void> {
    const _csrf = await this.csrf('/register');
    const res = await this.postForm('/register', { _csrf, email, password, verify: password });
    await res.text();
    if (res.status !== 303) throw new Error(`register answered ${res.status}`);
  }
}
