import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface Assets {
  /** The URL a page links to: the file's path with its content fingerprint, /css/app.css?v=1a2b3c4d5e. */
  url(assetPath: string): string;
  /** Serves public/: a URL with the current fingerprint may be cached for a year, others briefly. */
  serve: RequestHandler;
}

/** Every file under dir, as URL paths (/css/app.css) mapped to a fingerprint of its bytes. */
function fingerprints(dir: string, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    const urlPath = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) for (const [p, v] of fingerprints(file, urlPath)) found.set(p, v);
    else
      found.set(
        urlPath,
        crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 10),
      );
  }
  return found;
}

/**
 * Static files with fingerprinted URLs. The fingerprints are taken once, at start: in production
 * the files only change with a deploy (and so a restart), so a URL carrying the current
 * fingerprint names bytes that never change and is served `immutable` for a year; a browser
 * never asks again, and a new deploy links new URLs. Elsewhere (files edited while the server
 * runs) nothing is cached for long.
 */
export function createAssets(publicDir: string, production: boolean): Assets {
  const versions = fingerprints(publicDir);
  const forever = express.static(publicDir, { index: false, immutable: true, maxAge: YEAR_MS });
  const briefly = express.static(publicDir, { index: false, maxAge: production ? HOUR_MS : 0 });
  return {
    url: (assetPath) => {
      const version = versions.get(assetPath);
      return version ? `${assetPath}?v=${version}` : assetPath;
    },
    serve: (req, res, next) => {
      const version = versions.get(req.path);
      const current = production && version !== undefined && req.query.v === version;
      return (current ? forever : briefly)(req, res, next);
    },
  };
}
