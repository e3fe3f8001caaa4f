import { SandboxHost } from './sandbox-host';

/**
 * Calls the app's admin API as an operator would, for the demo's seeds: JSON (or a file with its
 * type), the admin token when one is configured. Answers the parsed body.
 *
 * @throws Error naming the call when the API refuses it (a bug in the demo data).
 */
export function demoApi(host: Pick<SandboxHost, 'url' | 'config'>, what: string) {
  return async (method: string, path: string, body?: unknown, type = 'application/json'): Promise<Record<string, unknown>> => {
    const res = await fetch(`${host.url}${path}`, {
      method,
      headers: { 'content-type': type, ...(host.config.adminToken ? { authorization: `Bearer ${host.config.adminToken}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${what}'s ${method} ${path} was refused: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    return answer;
  };
}
