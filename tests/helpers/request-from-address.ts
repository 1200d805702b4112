import http from "node:http";

export interface PlainResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * An HTTP request whose socket is bound to `localAddress` (any 127.x.y.z works on Linux's
 * loopback), so a test can be several distinct clients as the server's socket sees them.
 */
export function requestFromAddress(
  localAddress: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? "GET", headers: options.headers, localAddress, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.setTimeout(30_000, () => request.destroy(new Error(`request to ${url} timed out`)));
    request.end(options.body);
  });
}

/** POST /api/v1/auth/session from `localAddress`, with extra headers (e.g. a spoofed X-Forwarded-For). */
export function signInFrom(baseUrl: string, localAddress: string, username: string, password: string, headers: Record<string, string> = {}) {
  return requestFromAddress(localAddress, `${baseUrl}/api/v1/auth/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: baseUrl, ...headers },
    body: JSON.stringify({ username, password }),
  });
}
