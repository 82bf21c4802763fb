import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

const FOREVER = 'public, max-age=31536000, immutable';
const AN_HOUR = 'public, max-age=3600';
const NOT_AT_ALL = 'public, max-age=0';

export interface Assets {
  /** The URL a page links to: the file's path with its content fingerprint, /css/app.css?v=1a2b3c4d5e. */
  url(assetPath: string): string;
  /** Serves public/: a URL with the current fingerprint may be cached for a year, others briefly. */
  serve: RequestHandler;
}

interface Fingerprint {
  version: string;
  /** The file as it was hashed: a URL is only `immutable` while the file is still these bytes. */
  size: number;
  mtimeMs: number;
}

/** Every file under dir, by file path, with a fingerprint of its bytes. */
function fingerprints(dir: string, found = new Map<string, Fingerprint>()): Map<string, Fingerprint> {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const stat = fs.statSync(file); // follows symlinks
    if (stat.isDirectory()) fingerprints(file, found);
    else {
      const version = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 10);
      found.set(file, { version, size: stat.size, mtimeMs: stat.mtimeMs });
    }
  }
  return found;
}

/**
 * Static files with fingerprinted URLs, taken once at start. In production the files change
 * only with a deploy (and so a restart): a URL carrying the current fingerprint names bytes
 * that never change and is served `immutable` for a year, so a browser never asks again and a
 * deploy links new URLs. Should a file change under a running server anyway, its old URL is no
 * longer `immutable` (size and mtime are checked on every response). Any other URL is cached
 * for an hour in production, and nothing is cached elsewhere (files are edited while it runs).
 */
export function createAssets(publicDir: string, production: boolean): Assets {
  const files = fingerprints(publicDir);
  const serve = express.static(publicDir, {
    index: false,
    setHeaders: (res, filePath, stat) => {
      const known = files.get(filePath);
      const current =
        production &&
        known !== undefined &&
        res.req.query.v === known.version &&
        stat.size === known.size &&
        stat.mtimeMs === known.mtimeMs;
      res.setHeader('Cache-Control', current ? FOREVER : production ? AN_HOUR : NOT_AT_ALL);
    },
  });
  return {
    url: (assetPath) => {
      const known = files.get(path.join(publicDir, assetPath));
      return known ? `${assetPath}?v=${known.version}` : assetPath;
    },
    serve,
  };
}
