import http from 'node:http';

export interface KeptAliveReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** True when the request went over a connection an earlier request had opened. */
  reusedSocket: boolean;
}

/** One request over node:http with the given agent, so a test decides which connection it uses. */
export function requestOn(
  agent: http.Agent,
  url: string,
  headers: Record<string, string> = {},
): Promise<KeptAliveReply> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          reusedSocket: req.reusedSocket,
        }),
      );
    });
    req.on('error', reject);
  });
}
