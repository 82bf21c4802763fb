import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { startCommand, startFlags } from '../bench/measure';

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  output: () => string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

/** A port nothing listens on right now (the kernel's pick for port 0, released again). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export function tempDataDir(prefix = 'gid-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts the real server entry as a child process on 127.0.0.1 and a free port, and waits until
 * it says it is listening. `built` runs dist/ (npm run build first); otherwise src/ through tsx.
 */
export async function startServer(options: {
  dataDir: string;
  env?: Record<string, string>;
  built?: boolean;
  port?: number;
}): Promise<ServerProcess> {
  // With npm start's node flags and environment (heap and malloc settings), so the tests run the server as production does.
  const args = [
    ...startFlags(),
    ...(options.built
      ? [path.join(projectRoot, 'dist/src/server.js')]
      : ['--import', 'tsx', path.join(projectRoot, 'src/server.ts')]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...startCommand().env,
      NODE_ENV: 'test',
      BCRYPT_ROUNDS: '4',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(options.port ?? 0),
      DATA_DIR: options.dataDir,
      // Vitest puts Vite's BASE_URL ('/') into process.env; the app would refuse it as its own.
      BASE_URL: '',
      // Never a DATABASE_URL from the shell that runs the tests: a test names its own database.
      DATABASE_URL: '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Worker id -> pid, from each worker's "worker N is ready" log line (replacements included). */
export function workerPids(output: string): Map<number, number> {
  const pids = new Map<number, number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const { msg, pid } = JSON.parse(line) as { msg?: string; pid?: number };
    const id = /^worker (\d+) is ready$/.exec(msg ?? '')?.[1];
    if (id && pid) pids.set(Number(id), pid);
  }
  return pids;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
