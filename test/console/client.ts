/**
 * A browser's share of HTTP for console tests: keeps the cookies the app sets (by name, as
 * a browser keeps them for one site), follows no redirect by itself, posts forms.
 */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie lines of the last answer. */
  lastSetCookie: string[] = [];

  constructor(private readonly base: string) {}

  async get(path: string): Promise<Answer> {
    return this.send('GET', path);
  }

  async post(path: string, form: Record<string, string> = {}): Promise<Answer> {
    return this.send('POST', path, new URLSearchParams(form).toString());
  }

  /** The cookie header this client sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async send(method: string, path: string, body?: string): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' });
    this.lastSetCookie = res.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair, ...attributes] = line.split(';').map((p) => p.trim());
      const [name, ...value] = pair.split('=');
      if (attributes.some((a) => a.toLowerCase() === 'max-age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers };
  }
}

export interface Answer {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
}
